package io.runnel.cli.loadgen;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * The {@code sdk} client, the baseline users have without a KPL: the AWS SDK v2 {@link KinesisAsyncClient}'s
 * PutRecords in PutRecords batches of up to 500 records, without aggregation, the SDK's own retries off so that
 * retries and throttles are counted here.
 *
 * <p>Records are spread over {@code lanes} by key ({@code (index mod keys) mod lanes}); each lane has at most one
 * PutRecords batch in flight plus one being filled, so at most {@code lanes} requests are in flight and at most
 * {@code 2 × lanes × 500} records are held. A lane's batch goes when it is full or its oldest record has waited
 * {@link #LINGER}. Records a response refuses are sent again (full-jitter backoff, up to {@link #MAX_ATTEMPTS}
 * attempts) before the lane's next batch, so a key's records stay in order unless a retry overtakes them.
 */
public final class SdkLoadClient implements LoadClient {
    /** Records per PutRecords request: the service's maximum. */
    public static final int BATCH_RECORDS = 500;
    /** Longest a record waits for its batch to fill. */
    public static final Duration LINGER = Duration.ofMillis(100);
    /** Attempts per record before it fails. */
    public static final int MAX_ATTEMPTS = 10;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STUCK = Duration.ofMinutes(10);

    private final KinesisAsyncClient sdk;
    private final SdkAsyncHttpClient httpClient; // given to the SDK client, which does not close it
    private final String stream;
    private final Tally tally;
    private final long keys;
    private final Lane[] lanes;
    private final ScheduledExecutorService timer;

    /**
     * @param endpoint     the Kinesis endpoint (http: is spoken as HTTP/1.1)
     * @param region       signing region
     * @param credentials  access key, secret and optional session token
     * @param stream       the stream to put to
     * @param keys         distinct partition keys of the run (for the lanes)
     * @param lanes        PutRecords requests in flight at most, at least 1
     * @param trustAll     accept any TLS certificate (only for a self-signed endpoint on this machine)
     * @param tally        where outcomes go
     */
    public SdkLoadClient(URI endpoint, String region, io.runnel.wire.auth.Credentials credentials, String stream,
            long keys, int lanes, boolean trustAll, Tally tally) {
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be at least 1, was " + lanes);
        }
        AwsCredentials awsCredentials = credentials.sessionToken() == null
                ? AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())
                : AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                        credentials.sessionToken());
        NettyNioAsyncHttpClient.Builder http = NettyNioAsyncHttpClient.builder().maxConcurrency(lanes + 2);
        if ("http".equalsIgnoreCase(endpoint.getScheme())) {
            http.protocol(Protocol.HTTP1_1);
        }
        this.httpClient = trustAll
                ? http.buildWithDefaults(AttributeMap.builder()
                        .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, Boolean.TRUE).build())
                : http.build();
        this.sdk = KinesisAsyncClient.builder().endpointOverride(endpoint).region(Region.of(region))
                .credentialsProvider(StaticCredentialsProvider.create(awsCredentials))
                .httpClient(this.httpClient)
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(CALL_TIMEOUT))
                .build();
        this.stream = stream;
        this.tally = tally;
        this.keys = keys;
        int laneCount = (int) Math.min(lanes, keys);
        this.lanes = new Lane[laneCount];
        for (int i = 0; i < laneCount; i++) {
            this.lanes[i] = new Lane();
        }
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "runnel-loadgen-sdk-timer");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        long tick = LINGER.toNanos() / 4;
        timer.scheduleWithFixedDelay(this::sendLingering, tick, tick, TimeUnit.NANOSECONDS);
    }

    @Override
    public void send(long index, String partitionKey, byte[] data) throws InterruptedException {
        Lane lane = lanes[(int) ((index % keys) % lanes.length)];
        PutRecordsRequestEntry entry = PutRecordsRequestEntry.builder().partitionKey(partitionKey)
                .data(SdkBytes.fromByteArrayUnsafe(data)).build();
        lane.add(entry, System.nanoTime());
    }

    @Override
    public boolean finish(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Lane lane : lanes) {
            if (!lane.drain(deadline)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        sdk.close();
        httpClient.close();
    }

    private void sendLingering() {
        long now = System.nanoTime();
        for (Lane lane : lanes) {
            lane.sendIfLingered(now);
        }
    }

    /** Records of one PutRecords request and when each was handed over. */
    private static final class Batch {
        final List<PutRecordsRequestEntry> entries;
        final long[] startNanos;
        int attempt;

        Batch(List<PutRecordsRequestEntry> entries, long[] startNanos) {
            this.entries = entries;
            this.startNanos = startNanos;
        }
    }

    /** One key group: a batch being filled and at most one in flight. */
    private final class Lane {
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition idle = lock.newCondition();
        private List<PutRecordsRequestEntry> filling = new ArrayList<>(BATCH_RECORDS); // guarded by lock
        private long[] fillingStarts = new long[BATCH_RECORDS]; // guarded by lock
        private boolean inFlight; // guarded by lock

        void add(PutRecordsRequestEntry entry, long nowNanos) throws InterruptedException {
            Batch ready = null;
            lock.lock();
            try {
                long giveUp = nowNanos + STUCK.toNanos();
                while (filling.size() == BATCH_RECORDS) {
                    if (!inFlight) {
                        ready = takeFilling();
                        break;
                    }
                    // Backpressure: a full batch waits for the one in flight. Every attempt ends within the SDK's
                    // call timeout and attempts are bounded, so this wait ends; the cap is a safety net.
                    if (System.nanoTime() - giveUp >= 0) {
                        throw new IllegalStateException("a PutRecords batch has been in flight for over "
                                + STUCK.toMinutes() + " min");
                    }
                    idle.await(1, TimeUnit.SECONDS);
                }
                fillingStarts[filling.size()] = nowNanos;
                filling.add(entry);
                if (ready == null && filling.size() == BATCH_RECORDS && !inFlight) {
                    ready = takeFilling();
                }
            } finally {
                lock.unlock();
            }
            if (ready != null) {
                attempt(ready);
            }
        }

        void sendIfLingered(long nowNanos) {
            Batch ready = null;
            lock.lock();
            try {
                if (!inFlight && !filling.isEmpty() && nowNanos - fillingStarts[0] >= LINGER.toNanos()) {
                    ready = takeFilling();
                }
            } finally {
                lock.unlock();
            }
            if (ready != null) {
                attempt(ready);
            }
        }

        boolean drain(long deadlineNanos) throws InterruptedException {
            while (true) {
                Batch ready = null;
                lock.lock();
                try {
                    if (!inFlight && filling.isEmpty()) {
                        return true;
                    }
                    if (!inFlight) {
                        ready = takeFilling();
                    } else {
                        long left = deadlineNanos - System.nanoTime();
                        if (left <= 0) {
                            return false;
                        }
                        idle.awaitNanos(Math.min(left, TimeUnit.SECONDS.toNanos(1)));
                    }
                } finally {
                    lock.unlock();
                }
                if (ready != null) {
                    attempt(ready);
                }
            }
        }

        /** Moves the filling batch to in flight; call with the lock held. */
        private Batch takeFilling() {
            Batch b = new Batch(filling, Arrays.copyOf(fillingStarts, filling.size()));
            filling = new ArrayList<>(BATCH_RECORDS);
            fillingStarts = new long[BATCH_RECORDS];
            inFlight = true;
            return b;
        }

        private void done() {
            Batch next = null;
            lock.lock();
            try {
                inFlight = false;
                if (filling.size() == BATCH_RECORDS) {
                    next = takeFilling();
                }
                idle.signalAll();
            } finally {
                lock.unlock();
            }
            if (next != null) {
                attempt(next);
            }
        }

        private void attempt(Batch batch) {
            batch.attempt++;
            PutRecordsRequest request = PutRecordsRequest.builder().streamName(stream).records(batch.entries).build();
            sdk.putRecords(request).whenComplete((response, error) -> {
                tally.putRecordsCalls(1);
                if (error != null) {
                    onRequestFailed(batch, error);
                } else {
                    onResponse(batch, response);
                }
            });
        }

        private void onRequestFailed(Batch batch, Throwable error) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            boolean throttle = cause instanceof AwsServiceException a && a.isThrottlingException();
            if (throttle) {
                tally.throttled(batch.entries.size());
            }
            boolean retryable = throttle || (cause instanceof SdkException s && s.retryable())
                    || (cause instanceof AwsServiceException a && a.statusCode() >= 500);
            if (retryable && batch.attempt < MAX_ATTEMPTS) {
                tally.retried(batch.entries.size());
                retryLater(batch);
                return;
            }
            for (int i = 0; i < batch.entries.size(); i++) {
                tally.failed("PutRecords failed after " + batch.attempt + " attempts: " + cause);
            }
            done();
        }

        private void onResponse(Batch batch, PutRecordsResponse response) {
            List<PutRecordsResultEntry> results = response.records();
            long now = System.nanoTime();
            List<PutRecordsRequestEntry> again = new ArrayList<>();
            long[] againStarts = new long[batch.entries.size()];
            long throttled = 0;
            for (int i = 0; i < batch.entries.size(); i++) {
                PutRecordsResultEntry r = i < results.size() ? results.get(i) : null;
                if (r != null && r.errorCode() == null) {
                    tally.succeeded(batch.startNanos[i], now);
                    continue;
                }
                String code = r == null ? "MissingResult" : r.errorCode();
                if (RunnelLoadClient.isThrottle(code)) {
                    throttled++;
                }
                if (batch.attempt < MAX_ATTEMPTS) {
                    againStarts[again.size()] = batch.startNanos[i];
                    again.add(batch.entries.get(i));
                } else {
                    tally.failed("record failed after " + batch.attempt + " attempts: " + code
                            + (r == null ? "" : " " + r.errorMessage()));
                }
            }
            if (throttled > 0) {
                tally.throttled(throttled);
            }
            if (again.isEmpty()) {
                done();
                return;
            }
            tally.retried(again.size());
            Batch retry = new Batch(again, Arrays.copyOf(againStarts, again.size()));
            retry.attempt = batch.attempt;
            retryLater(retry);
        }

        private void retryLater(Batch batch) {
            long capMillis = Math.min(2_000, 100L << Math.min(batch.attempt, 5));
            long delay = ThreadLocalRandom.current().nextLong(capMillis + 1);
            try {
                timer.schedule(() -> attempt(batch), delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                for (int i = 0; i < batch.entries.size(); i++) {
                    tally.failed("client closed before a retry");
                }
                done();
            }
        }
    }
}
