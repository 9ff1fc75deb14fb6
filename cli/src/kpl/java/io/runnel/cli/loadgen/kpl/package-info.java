/**
 * {@code loadgen --client kpl}: the real Amazon KPL as a load client. Compiled only under the cli module's
 * {@code kpl} Maven profile, so that normal builds never download the KPL. Not an API.
 */
package io.runnel.cli.loadgen.kpl;
