package io.runnel.cli.loadgen.kpl;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.runnel.cli.loadgen.LoadClient;
import io.runnel.cli.loadgen.Tally;
import io.runnel.wire.auth.Credentials;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.kinesis.producer.Attempt;
import software.amazon.kinesis.producer.KinesisProducer;
import software.amazon.kinesis.producer.KinesisProducerConfiguration;
import software.amazon.kinesis.producer.Metric;
import software.amazon.kinesis.producer.UserRecordFailedException;
import software.amazon.kinesis.producer.UserRecordResult;

/**
 * The {@code kpl} client: records go through the Amazon KPL and its native daemon, which speaks HTTPS only. The KPL
 * buffers without bound, so this client bounds what is outstanding itself: at most {@link #MAX_OUTSTANDING_BYTES} of
 * record data (at least 1,000 records), and {@link #send} blocks while that much is outstanding.
 *
 * <p>Against an endpoint on this machine the daemon does not verify the (self-signed) certificate and uploads no
 * metrics (MetricsLevel none), so nothing leaves the machine.
 */
public final class KplLoadClient implements LoadClient {
    /** Record data outstanding in the KPL at most. */
    public static final long MAX_OUTSTANDING_BYTES = 16L << 20;
    private static final long FLUSH_INTERVAL_NANOS = 100_000_000;
    private static final Duration PERMIT_WAIT = Duration.ofMinutes(10);

    private final KinesisProducer kpl;
    private final String stream;
    private final Tally tally;
    private final Semaphore outstanding;
    private long handedOver; // confined to the sending thread

    /**
     * Starts the KPL's daemon.
     *
     * @param endpoint        https endpoint (host and port)
     * @param region          signing region
     * @param credentials     credentials for the daemon
     * @param stream          the stream to put to
     * @param recordSizeBytes bytes per record (for the outstanding bound)
     * @param config          a KPL properties file, or null for the KPL's defaults
     * @param local           whether the endpoint is on this machine (no certificate check, no metrics upload)
     * @param tally           where outcomes go
     */
    public KplLoadClient(URI endpoint, String region, Credentials credentials, String stream, int recordSizeBytes,
            Path config, boolean local, Tally tally) {
        KinesisProducerConfiguration c = config == null ? new KinesisProducerConfiguration()
                : KinesisProducerConfiguration.fromPropertiesFile(config.toString());
        int port = endpoint.getPort() > 0 ? endpoint.getPort() : 443;
        AwsCredentials aws = credentials.sessionToken() == null
                ? AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())
                : AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                        credentials.sessionToken());
        c.setRegion(region).setKinesisEndpoint(endpoint.getHost()).setKinesisPort(port)
                .setCredentialsProvider(StaticCredentialsProvider.create(aws));
        if (local) {
            c.setVerifyCertificate(false).setMetricsLevel("none")
                    .setStsEndpoint(endpoint.getHost()).setStsPort(port)
                    .setCloudwatchEndpoint(endpoint.getHost()).setCloudwatchPort(port);
        }
        this.kpl = new KinesisProducer(c);
        this.stream = stream;
        this.tally = tally;
        this.outstanding = new Semaphore((int) Math.max(1_000, MAX_OUTSTANDING_BYTES / Math.max(1, recordSizeBytes)));
    }

    @Override
    public void send(long index, String partitionKey, byte[] data) throws InterruptedException {
        if (!outstanding.tryAcquire(PERMIT_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException("the KPL completed no record for " + PERMIT_WAIT.toMinutes() + " min");
        }
        long start = System.nanoTime();
        ListenableFuture<UserRecordResult> future;
        try {
            future = kpl.addUserRecord(stream, partitionKey, ByteBuffer.wrap(data));
        } catch (RuntimeException e) {
            outstanding.release();
            handedOver++;
            tally.failed("record " + index + ": " + e);
            return;
        }
        handedOver++;
        Futures.addCallback(future, new FutureCallback<>() {
            @Override
            public void onSuccess(UserRecordResult result) {
                outstanding.release();
                countThrottles(result.getAttempts());
                tally.succeeded(start, System.nanoTime());
            }

            @Override
            public void onFailure(Throwable error) {
                outstanding.release();
                if (error instanceof UserRecordFailedException f) {
                    countThrottles(f.getResult().getAttempts());
                }
                tally.failed(error.toString());
            }
        }, MoreExecutors.directExecutor());
    }

    private void countThrottles(List<Attempt> attempts) {
        long throttled = 0;
        for (Attempt a : attempts) {
            if (!a.isSuccessful() && ("ProvisionedThroughputExceededException".equals(a.getErrorCode())
                    || "ThrottlingException".equals(a.getErrorCode()))) {
                throttled++;
            }
        }
        if (throttled > 0) {
            tally.throttled(throttled);
        }
    }

    @Override
    public boolean finish(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextFlush = 0;
        while (tally.completed() < handedOver) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                return false;
            }
            if (now - nextFlush >= 0) {
                kpl.flush();
                nextFlush = now + FLUSH_INTERVAL_NANOS;
            }
            TimeUnit.MILLISECONDS.sleep(5);
        }
        tally.putRecordsCalls((long) metric("RequestTime").map(Metric::getSampleCount).orElse(0.0).doubleValue());
        tally.retried((long) metric("RetriesPerRecord").map(Metric::getSum).orElse(0.0).doubleValue());
        return true;
    }

    @Override
    public Double userRecordsPerKinesisRecord() {
        double user = metric("UserRecordsPut").map(Metric::getSum).orElse(0.0);
        double kinesis = metric("KinesisRecordsPut").map(Metric::getSum).orElse(0.0);
        return kinesis == 0 ? null : user / kinesis;
    }

    /** The daemon's peak resident set (VmHWM from /proc), or null where that cannot be read. */
    @Override
    public Long daemonPeakRssBytes() {
        return daemon().map(p -> peakRss(p.pid())).orElse(null);
    }

    /** The daemon's CPU time so far (all its threads, from /proc), or -1 where that cannot be read. */
    @Override
    public long daemonCpuNanos() {
        return daemon().flatMap(p -> p.info().totalCpuDuration()).map(java.time.Duration::toNanos).orElse(-1L);
    }

    private static Optional<ProcessHandle> daemon() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().command().map(cmd -> cmd.contains("kinesis_producer")).orElse(false))
                .findFirst();
    }

    private static Long peakRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    String kb = line.substring("VmHWM:".length()).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** The stream-independent figure of a KPL metric over the producer's lifetime. */
    private Optional<Metric> metric(String name) {
        try {
            return kpl.getMetrics(name).stream().filter(m -> m.getDimensions().isEmpty()).findFirst();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        kpl.destroy();
    }
}
