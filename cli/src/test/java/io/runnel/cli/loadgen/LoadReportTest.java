package io.runnel.cli.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadReportTest {
    @TempDir
    Path dir;

    private static LoadReport report(Verifier.Result verify, boolean passed) {
        Histogram h = new Histogram(3);
        for (int i = 1; i <= 1000; i++) {
            h.recordValue(i * 1000L); // 1..1000 ms
        }
        return new LoadReport("sdk", "s", 4, 100, 1000, 0, null, 1000, 1000, 0, 2.0, 500, 0.05,
                LoadReport.Latency.ofMicros(h), new LoadReport.Latency(1, 2, 3, 4, 5, 2), 2, 0, 0, 64L << 20,
                null, null, verify,
                List.of(new Progress.Sample(1, 400), new Progress.Sample(2, 600)), null,
                LoadReport.Cpu.between(1_000_000_000L, 3_500_000_000L, 1000, 3_000_000_000L, 600),
                LoadReport.Cpu.between(0, 4_000_000_000L, 1000, 3_000_000_000L, 600), null, passed);
    }

    @Test
    void summaryHasEveryFigureAndTheVerifyLine() {
        StringWriter out = new StringWriter();
        report(new Verifier.Result(1000, 1000, 0, 0, 0, 0, 0, 0, 0), true).print(new PrintWriter(out));

        assertThat(out.toString()).contains("records   1,000 ok, 0 failed (of 1,000 sent) in 2.00 s",
                "rate      500 records/s, 0.05 MB/s", "latency   p50 500.", "p90 900.", "p99 990.", "p99.9 999.",
                "max 1000.", "  after 5 s  p50 1.0 ms, p90 2.0 ms, p99 3.0 ms, p99.9 4.0 ms, max 5.0 ms",
                "requests  2 PutRecords calls, 0 retries, 0 throttles", "memory    peak heap 64 MB",
                "cpu       2.5 s of this process's CPU, 2500.00 µs per record (loadgen and client); after 5 s:"
                        + " 1250.00 µs"
                        + " per record",
                "          and 4.0 s of the KPL daemon's CPU, 4000.00 µs per record; after 5 s: 2500.00 µs"
                        + " per record",
                "verify: 1000 records, 0 missing, 0 duplicates, 0 out of order", "PASSED");
    }

    @Test
    void jsonHasEveryFigure() throws Exception {
        Path file = dir.resolve("r.json");
        report(null, false).writeJson(file);

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertThat(json.get("latencyMillis").get("p99").asDouble()).isBetween(989.0, 991.0);
        assertThat(json.get("steadyLatencyMillis").get("p99").asDouble()).isEqualTo(3.0);
        assertThat(json.get("verify").isNull()).isTrue();
        assertThat(json.get("durationLimitSeconds").isNull()).isTrue();
        assertThat(json.get("throughput").get(1).get("recordsPerSecond").asDouble()).isEqualTo(600);
        assertThat(json.get("passed").asBoolean()).isFalse();
        assertThat(json.get("peakHeapBytes").asLong()).isEqualTo(64L << 20);
        assertThat(json.get("cpu").get("microsPerRecord").asDouble()).isEqualTo(2500.0);
        assertThat(json.get("cpu").get("steadyMicrosPerRecord").asDouble()).isEqualTo(1250.0);
    }

    @Test
    void aRunEndedBeforeTheSteadyMarkHasNoSteadyCpuFigure() {
        assertThat(LoadReport.Cpu.between(0, 2_000, 4).steadyMicrosPerRecord()).isNull();
        assertThat(LoadReport.Cpu.between(0, 2_000, 4, 1_000, 4).steadyMicrosPerRecord()).isNull(); // none after it
        assertThat(LoadReport.Cpu.between(0, 2_000, 4, 1_000, 2).steadyMicrosPerRecord()).isEqualTo(0.5);
        assertThat(LoadReport.Cpu.between(-1, 2_000, 4)).isNull();
    }

    @Test
    void anEmptyHistogramGivesZeroes() {
        assertThat(LoadReport.Latency.ofMicros(new Histogram(3))).isEqualTo(new LoadReport.Latency(0, 0, 0, 0, 0, 0));
    }
}
