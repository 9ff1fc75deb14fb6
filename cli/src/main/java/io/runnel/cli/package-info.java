/**
 * The {@code runnel} command ({@link io.runnel.cli.RunnelCli}) and its subcommands: {@code demo}, {@code backend},
 * {@code loadgen}, {@code agent}, {@code credentials} and {@code completion}, on picocli. Part of the CLI
 * application, not an API: names and signatures change without notice.
 */
package io.runnel.cli;
