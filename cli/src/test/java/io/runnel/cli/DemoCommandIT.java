package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DemoCommandIT {
    @Test
    void demoSendsReadsBackAndReportsExactlyOnce() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = RunnelCli.commandLine().execute("demo", "--records", "20000", "--shards", "3");
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        assertThat(out).contains("sent      20,000 records", "user records per Kinesis record",
                "20,000 distinct, 0 missing, 0 duplicated, 0 failed futures", "every record arrived exactly once");
    }
}
