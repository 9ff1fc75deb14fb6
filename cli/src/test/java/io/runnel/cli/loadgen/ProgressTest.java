package io.runnel.cli.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void withoutATerminalItEndsWithOneLineOfTheFinalState() throws Exception {
        StringWriter text = new StringWriter();
        AtomicLong done = new AtomicLong();
        Progress p = new Progress(new PrintWriter(text), false, done::get, done::get, 200, 0);
        p.start(System.nanoTime());
        done.set(200);
        p.stop();

        assertThat(text.toString()).doesNotContain("\r")
                .contains("[##############################] 200 / 200 records");
        assertThat(text.toString().lines().count()).isEqualTo(1);
    }

    @Test
    void onATerminalTheBarIsRedrawnInPlaceAndForADurationShowsTime() throws Exception {
        StringWriter text = new StringWriter();
        AtomicLong done = new AtomicLong(5);
        Progress p = new Progress(new PrintWriter(text), true, done::get, () -> 7, 0, 60_000_000_000L);
        p.start(System.nanoTime());
        p.stop();

        assertThat(text.toString()).startsWith("\r[").contains("/ 60 s, 7 records sent, 5 done")
                .endsWith(System.lineSeparator());
    }
}
