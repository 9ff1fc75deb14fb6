package io.runnel.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The examples that need nothing but this machine run as they are, and say what they should. */
class ExamplesIT {
    private final PrintStream original = System.out;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    @BeforeEach
    void capture() {
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(original);
    }

    private String output() {
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void localBackendDemo() {
        LocalBackendDemo.main(new String[0]);
        assertThat(output()).isNotBlank();
    }

    @Test
    void readBackWithTheSdk() {
        ReadBackWithTheSdk.main(new String[0]);
        assertThat(output()).contains("read 500 user records");
    }

    @Test
    void metricsAndFailures() {
        MetricsAndFailures.main(new String[0]);
        assertThat(output()).contains("refused at once", "rejected: ResourceNotFoundException", "expired after",
                "the last error: CONNECT", "UserRecordsPut");
    }

    @Test
    void backpressureBlocking() {
        BackpressureBlocking.main(new String[0]);
        assertThat(output()).contains("5 MB through a 2 MiB buffer");
    }
}
