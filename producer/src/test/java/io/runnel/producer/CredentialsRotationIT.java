package io.runnel.producer;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.backend.KinesisBackend;
import io.runnel.backend.store.StoreSettings;
import io.runnel.producer.config.ConfigKeys;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.producer.testing.FakeInstanceMetadata;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.auth.InstanceProfileCredentialsProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A producer signing with an EC2 instance profile's credentials while the instance metadata service rotates them, or
 * is down for a while, loses no record: the backend holds only the role's two key pairs, and counts which one signed.
 * The provider's clock is the test's, so the refresh windows are reached by moving it, never by waiting; the
 * credentials' expirations lie an hour or two after the real start, so the producer (which compares them with the wall
 * clock) finds them valid throughout.
 */
class CredentialsRotationIT {
    private static final String STREAM = "rotating";
    private static final int RECORDS_PER_STEP = 20;
    /** More than any run needs: a producer that never switches fails the test instead of sending forever. */
    private static final int MAX_RECORDS = 60_000;

    private final Instant runStart = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    private final Credentials pairA = new Credentials("ASIAROLEKEYA", "role-secret-a", "role-token-a",
            runStart.plus(Duration.ofHours(1)));
    private final Credentials pairB = new Credentials("ASIAROLEKEYB", "role-secret-b", "role-token-b",
            runStart.plus(Duration.ofHours(2)));
    private final MutableClock clock = new MutableClock(runStart);
    private final List<CompletableFuture<UserRecordResult>> futures = new ArrayList<>();

    private KinesisBackend backend;
    private FakeInstanceMetadata imds;
    private InstanceProfileCredentialsProvider instanceProfile;
    private ObservedProvider observed;
    private KinesisProducer producer;

    @BeforeEach
    void start() throws Exception {
        // Held without their expirations: the backend checks key, secret and token.
        backend = KinesisBackend.builder().settings(StoreSettings.defaults().withTransitionMillis(0))
                .limits(false)
                .requireSignatures(Credentials.of(pairA.accessKeyId(), pairA.secretAccessKey(), pairA.sessionToken()),
                        Credentials.of(pairB.accessKeyId(), pairB.secretAccessKey(), pairB.sessionToken()))
                .createStream(STREAM, 2).start();
        imds = new FakeInstanceMetadata(pairA);
        instanceProfile = new InstanceProfileCredentialsProvider(
                Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.endpoint()), clock);
        observed = new ObservedProvider(instanceProfile);
        producer = new KinesisProducer(ProducerConfig.builder().region("us-east-1")
                .kinesisEndpointUrl(backend.endpoint().toString())
                .set(ConfigKeys.CREDENTIALS_REFRESH_DELAY, 50L) // asks the provider often
                .recordMaxBufferedTime(Duration.ofMillis(20))
                .recordTtl(Duration.ofMinutes(5))
                .set(ConfigKeys.METRICS_LEVEL, "NONE").build(), observed);
    }

    @AfterEach
    void stop() {
        if (producer != null) {
            producer.close();
        }
        if (instanceProfile != null) {
            instanceProfile.close(); // the producer does not close a provider it was given
        }
        if (imds != null) {
            imds.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void credentialsRotatedByTheMetadataServiceMidRunFailNoRecord() throws Exception {
        sendUntil("requests signed with A", () -> signedWith(pairA) >= 5);

        // The role's credentials rotate; the clock reaches the last minute before A expires, where the provider no
        // longer serves A but fetches (on the producer's refresher thread, which asks every 50 ms).
        imds.serve(pairB);
        clock.set(pairA.expiration().minusSeconds(30));
        sendUntil("the provider answering B", () -> pairB.accessKeyId().equals(observed.lastAccessKeyId()));
        sendUntil("requests signed with B", () -> signedWith(pairB) >= 5);

        assertAllSucceeded();
        assertThat(observed.failures()).as("exceptions the provider threw").isZero();
        assertThat(backend.signedRequestsByAccessKey()).containsOnlyKeys(pairA.accessKeyId(), pairB.accessKeyId());
    }

    @Test
    void anOutageOfTheMetadataServiceWhileTheCachedCredentialsAreValidFailsNoRecord() throws Exception {
        sendUntil("requests signed with A", () -> signedWith(pairA) >= 5);

        String log;
        PrintStream savedErr = System.err; // slf4j-simple writes to the System.err of the moment
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new Tee(savedErr, captured), true, StandardCharsets.UTF_8));
        try {
            // Down, with the clock 4 minutes before A expires: inside the provider's prefetch window (5 minutes),
            // before the point where callers would wait for a fetch (1 minute). The prefetch fails; A is kept.
            imds.down(true);
            Instant outageStart = pairA.expiration().minus(Duration.ofMinutes(4));
            clock.set(outageStart);
            sendUntil("the failed prefetch logged", () -> captured.toString(StandardCharsets.UTF_8)
                    .contains("refreshing credentials failed; keeping the cached ones"));
            int failedFetches = imds.failuresServed();
            // 30 s of the provider's time, a second at a time, records flowing all along; then the provider tries
            // again (RETRY_INTERVAL after the failure) and fails again.
            while (clock.instant().isBefore(outageStart.plusSeconds(30))) {
                clock.advance(Duration.ofSeconds(1));
                sendStep();
            }
            sendUntil("a second failed fetch", () -> tickInsidePrefetchWindow()
                    && imds.failuresServed() > failedFetches);
            assertThat(observed.lastAccessKeyId()).as("what the provider answers during the outage")
                    .isEqualTo(pairA.accessKeyId());
            assertThat(signedWith(pairB)).isZero();

            // Back, serving the rotated credentials; the next try (30 s after the last failure) fetches B.
            imds.serve(pairB);
            imds.down(false);
            sendUntil("the provider answering B", () -> tickInsidePrefetchWindow()
                    && pairB.accessKeyId().equals(observed.lastAccessKeyId()));
            sendUntil("requests signed with B", () -> signedWith(pairB) >= 5);
        } finally {
            System.setErr(savedErr);
            log = captured.toString(StandardCharsets.UTF_8);
        }

        assertAllSucceeded();
        assertThat(observed.failures()).as("exceptions the provider threw").isZero();
        assertThat(log).contains("refreshing credentials failed; keeping the cached ones (valid until "
                + pairA.expiration() + ")").contains("refreshing credentials works again")
                .doesNotContain("Fetching credentials failed");
    }

    /**
     * Moves the provider's clock a second on, but not past 2 minutes before A expires, so that it stays in the window
     * where A is served while a refresh is tried in the background. Always true (for use in conditions).
     */
    private boolean tickInsidePrefetchWindow() {
        if (clock.instant().isBefore(pairA.expiration().minus(Duration.ofMinutes(2)))) {
            clock.advance(Duration.ofSeconds(1));
        }
        return true;
    }

    private long signedWith(Credentials pair) {
        return backend.signedRequestsByAccessKey().getOrDefault(pair.accessKeyId(), 0L);
    }

    /** Adds a few records and gives the producer a moment; the pace keeps requests going out all through a run. */
    private void sendStep() throws InterruptedException {
        for (int i = 0; i < RECORDS_PER_STEP; i++) {
            int n = futures.size();
            futures.add(producer.addUserRecord(STREAM, "key-" + (n % 97),
                    ("record " + n).getBytes(StandardCharsets.UTF_8)));
        }
        Thread.sleep(10);
    }

    /** Keeps sending until {@code condition} holds (a generous deadline, and a record cap, against hanging). */
    private void sendUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("still waiting for " + what + " after 60 s").isNegative();
            assertThat(futures.size()).as("records sent waiting for " + what).isLessThan(MAX_RECORDS);
            sendStep();
        }
        sendStep(); // and some more right after it
    }

    private void assertAllSucceeded() throws Exception {
        producer.flushSync();
        int failed = 0;
        for (CompletableFuture<UserRecordResult> f : futures) {
            UserRecordResult r = f.get(60, TimeUnit.SECONDS);
            if (!r.successful()) {
                failed++;
            }
        }
        assertThat(failed).as("failed records of " + futures.size()).isZero();
        assertThat(futures.size()).isGreaterThan(100);
        assertThat(signedWith(pairA)).isPositive();
        assertThat(signedWith(pairB)).isPositive();
    }

    /** The instance profile provider as the producer's refresher sees it: what it answered last, what it threw. */
    private static final class ObservedProvider implements CredentialsProvider {
        private final CredentialsProvider delegate;
        private volatile String lastAccessKeyId;
        private final AtomicInteger failures = new AtomicInteger();

        ObservedProvider(CredentialsProvider delegate) {
            this.delegate = delegate;
        }

        @Override
        public Credentials resolveCredentials() {
            try {
                Credentials c = delegate.resolveCredentials();
                lastAccessKeyId = c.accessKeyId();
                return c;
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                throw e;
            }
        }

        String lastAccessKeyId() {
            return lastAccessKeyId;
        }

        int failures() {
            return failures.get();
        }
    }

    /** A clock the test sets and moves; the provider compares expirations with it. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Writes to two streams. */
    private static final class Tee extends java.io.OutputStream {
        private final PrintStream first;
        private final ByteArrayOutputStream second;

        Tee(PrintStream first, ByteArrayOutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) {
            second.write(b);
            first.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            second.write(b, off, len);
            first.write(b, off, len);
        }

        @Override
        public void flush() {
            first.flush();
        }
    }
}
