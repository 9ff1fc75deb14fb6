/**
 * The pieces of {@code runnel loadgen} (and {@code runnel demo}): the record generator, the pacer, the clients that
 * send records, the read-back verifier, the summary, the JSON report and the plot. Part of the CLI application, not
 * an API: names and signatures change without notice.
 */
package io.runnel.cli.loadgen;
