package io.runnel.cli.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Every figure of a load run; printed as the summary and written as JSON by {@code --report}.
 *
 * @param client              runnel or sdk
 * @param stream              stream name
 * @param shards              open shards when the run started
 * @param recordSizeBytes     bytes of data per record
 * @param keys                distinct partition keys
 * @param rateLimit           target records/s, 0 for as fast as possible
 * @param durationLimitSeconds how long the run was asked to send, null when it sent a number of records
 * @param recordsSent         records handed to the client
 * @param recordsOk           records in the stream
 * @param recordsFailed       records that failed for good
 * @param elapsedSeconds      from the first record handed over to the last outcome
 * @param recordsPerSecond    recordsOk / elapsedSeconds
 * @param megabytesPerSecond  recordsOk × recordSizeBytes / elapsedSeconds / 10^6
 * @param latencyMillis       record latency (handed to the client → in the stream)
 * @param steadyLatencyMillis the same for the records handed over after the first {@link #STEADY_AFTER_SECONDS} s
 *                            (start-up: JIT, connections, shard maps), or null when the run was shorter
 * @param putRecordsCalls     PutRecords requests answered
 * @param retries             record attempts that failed and were retried
 * @param throttles           attempts refused with a throughput error
 * @param peakHeapBytes       peak JVM heap in use during the run (sum of the heap pools' peaks)
 * @param daemonPeakRssBytes  peak resident memory of the KPL's native daemon (kpl only, else null)
 * @param userRecordsPerKinesisRecord aggregation factor (runnel only, else null)
 * @param verify              the read-back, null without --verify
 * @param throughput          completed records per second over the run
 * @param utilization         how much of the stream's write limits the run used, from the producer's own counters
 *                            (Runnel only; null for the other clients)
 * @param cpu                 this process's CPU time over the run (null where the JVM does not say)
 * @param daemonCpu           the KPL's native daemon's CPU time over the same span, per record as for {@code cpu}
 *                            (kpl only, else null)
 * @param firstError          the first failure, null when none
 * @param passed              every record succeeded (and verified, with --verify)
 */
public record LoadReport(String client, String stream, int shards, int recordSizeBytes, long keys, double rateLimit,
        Double durationLimitSeconds, long recordsSent, long recordsOk, long recordsFailed, double elapsedSeconds,
        double recordsPerSecond, double megabytesPerSecond, Latency latencyMillis, Latency steadyLatencyMillis,
        long putRecordsCalls, long retries,
        long throttles, long peakHeapBytes, Long daemonPeakRssBytes, Double userRecordsPerKinesisRecord,
        Verifier.Result verify,
        List<Progress.Sample> throughput, Utilization utilization, Cpu cpu, Cpu daemonCpu, String firstError,
        boolean passed) {

    /**
     * CPU this process (loadgen and the client in it; not the KPL's native daemon, nor the backend) used from the
     * first record handed over to the last outcome.
     *
     * @param processSeconds        CPU seconds, all threads
     * @param microsPerRecord       processSeconds per record that succeeded, in microseconds
     * @param steadyMicrosPerRecord the same after the first {@link #STEADY_AFTER_SECONDS} s (JVM warm-up and JIT
     *                              left out: the cost a long run pays per record), null when the run was shorter
     *                              or no record succeeded after that mark
     */
    public record Cpu(double processSeconds, double microsPerRecord, Double steadyMicrosPerRecord) {
        /** {@return the process's CPU time so far in nanoseconds, or -1 when the JVM does not say} */
        public static long processCpuNanos() {
            java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean();
            return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
        }

        /**
         * The CPU used between two readings.
         *
         * @param startNanos a {@link #processCpuNanos} reading at the start, or -1
         * @param endNanos   a {@link #processCpuNanos} reading at the end, or -1
         * @param records    the records that succeeded in between
         * @return the CPU used, or null when either reading is unknown
         */
        public static Cpu between(long startNanos, long endNanos, long records) {
            return between(startNanos, endNanos, records, -1, 0);
        }

        /**
         * As {@link #between(long, long, long)}, with a reading taken at the steady-state mark.
         *
         * @param steadyNanos   a {@link #processCpuNanos} reading at the mark, or -1 when the run ended before it
         * @param recordsBefore the records that had succeeded by the mark
         */
        public static Cpu between(long startNanos, long endNanos, long records, long steadyNanos, long recordsBefore) {
            if (startNanos < 0 || endNanos < 0) {
                return null;
            }
            double seconds = (endNanos - startNanos) / 1e9;
            long steadyRecords = records - recordsBefore;
            Double steady = steadyNanos < 0 || steadyRecords <= 0 ? null
                    : (endNanos - steadyNanos) / 1e3 / steadyRecords;
            return new Cpu(seconds, records == 0 ? 0 : seconds * 1e6 / records, steady);
        }
    }

    /**
     * How much of the shards' write limits (1 MiB and 1,000 records per second each) the run used: Kinesis records and
     * their bytes (data plus partition key) as the shards counted them, over the run's elapsed time.
     *
     * @param total     the shards' utilizations (each the larger of its bytes and its records against its limit)
     *                  summed over the open shards (1.0 = all of the stream's limits)
     * @param throttled Kinesis records throttled, as a share of those stored and throttled
     * @param shards    per shard
     */
    public record Utilization(double total, double throttled, List<Shard> shards) {
        /** One shard: its share of its limit (the larger of bytes and records), and the producer's rate for it. */
        public record Shard(String shardId, long kinesisRecords, long bytes, long throttled, double utilization,
                double rateShare) {
        }

        /**
         * The utilization from the producer's counters.
         *
         * @param stats      the producer's per-shard counters ({@code KinesisProducer.shardStats()}), any stream
         * @param stream     the stream to count
         * @param openShards the stream's open shards, whose limits add up to the stream's
         * @param seconds    the run's elapsed time
         * @return the stream's utilization, or null when the counters have no shard of {@code stream}
         */
        public static Utilization of(List<io.runnel.producer.ShardStats> stats, String stream, int openShards,
                double seconds) {
            List<Shard> shards = new java.util.ArrayList<>();
            long stored = 0;
            long throttled = 0;
            long nanos = (long) (seconds * 1e9);
            for (io.runnel.producer.ShardStats s : stats) {
                if (!s.stream().equals(stream)) {
                    continue;
                }
                shards.add(new Shard(s.shardId(), s.kinesisRecords(), s.bytes(), s.throttled(), s.utilization(nanos),
                        s.rateShare()));
                stored += s.kinesisRecords();
                throttled += s.throttled();
            }
            if (shards.isEmpty()) {
                return null;
            }
            // each shard's larger share (bytes or records), over the open shards: tiny records are bound by count
            double sum = 0;
            for (Shard sh : shards) {
                sum += sh.utilization();
            }
            double total = sum / Math.max(1, openShards);
            return new Utilization(total, stored + throttled == 0 ? 0 : throttled / (double) (stored + throttled),
                    List.copyOf(shards));
        }
    }

    /** Latency percentiles in milliseconds. */
    public record Latency(double p50, double p90, double p99, double p999, double max, double mean) {
        /**
         * Reads the percentiles off a histogram.
         *
         * @param h latencies in microseconds
         * @return the percentiles in milliseconds, all 0 when {@code h} is empty
         */
        public static Latency ofMicros(Histogram h) {
            if (h.getTotalCount() == 0) {
                return new Latency(0, 0, 0, 0, 0, 0);
            }
            return new Latency(h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0,
                    h.getMaxValue() / 1000.0, h.getMean() / 1000.0);
        }
    }

    /** Records handed over this long after the start count for the steady state's latency. */
    public static final int STEADY_AFTER_SECONDS = 5;

    /**
     * Prints the human summary, one figure a line, ending with PASSED or FAILED, and flushes.
     *
     * @param out where to print
     */
    public void print(PrintWriter out) {
        out.printf("client    %s, stream %s (%d shards), %d-byte records, %,d keys%s%n", client, stream, shards,
                recordSizeBytes, keys, rateLimit > 0 ? String.format(", rate %,.0f/s", rateLimit) : "");
        out.printf("records   %,d ok, %,d failed (of %,d sent) in %.2f s%n", recordsOk, recordsFailed, recordsSent,
                elapsedSeconds);
        out.printf("rate      %,.0f records/s, %.2f MB/s%n", recordsPerSecond, megabytesPerSecond);
        out.printf("latency   p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n", latencyMillis.p50,
                latencyMillis.p90, latencyMillis.p99, latencyMillis.p999, latencyMillis.max);
        if (steadyLatencyMillis != null) {
            out.printf("  after %d s  p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n",
                    STEADY_AFTER_SECONDS, steadyLatencyMillis.p50, steadyLatencyMillis.p90, steadyLatencyMillis.p99,
                    steadyLatencyMillis.p999, steadyLatencyMillis.max);
        }
        out.printf("requests  %,d PutRecords calls, %,d retries, %,d throttles%s%n", putRecordsCalls, retries,
                throttles, userRecordsPerKinesisRecord == null ? ""
                        : String.format(", %.1f user records per Kinesis record", userRecordsPerKinesisRecord));
        if (utilization != null) {
            StringBuilder perShard = new StringBuilder();
            for (Utilization.Shard sh : utilization.shards()) {
                perShard.append(perShard.length() == 0 ? "" : ", ").append(sh.shardId().replaceFirst("^shardId-0*", ""))
                        .append(' ').append(String.format("%.0f%%", sh.utilization() * 100));
            }
            out.printf("shards    utilization %.1f%% of the write limit (per shard: %s), %.2f%% of Kinesis records "
                    + "throttled%n", utilization.total() * 100, perShard, utilization.throttled() * 100);
        }
        if (cpu != null) {
            out.printf("cpu       %.1f s of this process's CPU, %.2f µs per record (loadgen and client)%s%n",
                    cpu.processSeconds(), cpu.microsPerRecord(), afterSteadyMark(cpu));
        }
        if (daemonCpu != null) {
            out.printf("          and %.1f s of the KPL daemon's CPU, %.2f µs per record%s%n",
                    daemonCpu.processSeconds(), daemonCpu.microsPerRecord(), afterSteadyMark(daemonCpu));
        }
        out.printf("memory    peak heap %,d MB%s%n", peakHeapBytes / (1024 * 1024), daemonPeakRssBytes == null ? ""
                : String.format(", KPL daemon peak RSS %,d MB", daemonPeakRssBytes / (1024 * 1024)));
        if (firstError != null) {
            out.println("first error: " + firstError);
        }
        if (verify != null) {
            out.println(verify.summaryLine());
            String problems = verify.problemsLine();
            if (problems != null) {
                out.println(problems);
            }
            String misplaced = verify.misplacedLine();
            if (misplaced != null) {
                out.println(misplaced);
            }
        }
        out.println(passed ? "PASSED" : "FAILED");
        out.flush();
    }

    /**
     * Writes this report as pretty-printed JSON, one field per component, replacing the file.
     *
     * @param file where to write
     * @throws IOException when the file cannot be written
     */
    /** The CPU per record after the steady-state mark, as the summary's {@code cpu} lines end; empty when unknown. */
    private static String afterSteadyMark(Cpu c) {
        return c.steadyMicrosPerRecord() == null ? ""
                : String.format("; after %d s: %.2f µs per record", STEADY_AFTER_SECONDS, c.steadyMicrosPerRecord());
    }

    public void writeJson(Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
    }
}
