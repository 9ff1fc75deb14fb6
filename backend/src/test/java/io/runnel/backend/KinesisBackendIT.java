package io.runnel.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runnel.backend.store.TimeSource;
import io.runnel.wire.testing.SdkClients;
import io.runnel.wire.Endpoint;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.Protocol;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.error.AuthenticationException;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.error.ValidationException;
import io.runnel.wire.model.CreateStreamRequest;
import io.runnel.wire.model.DescribeStreamSummaryRequest;
import io.runnel.wire.model.GetRecordsRequest;
import io.runnel.wire.model.GetShardIteratorRequest;
import io.runnel.wire.model.ListShardsRequest;
import io.runnel.wire.model.PutRecordsRequest;
import io.runnel.wire.model.PutRecordsRequestEntry;
import io.runnel.wire.model.PutRecordsResponse;
import io.runnel.wire.model.StreamRecord;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;

/** The backend over HTTP with our own client: signatures, TLS, limits, bad requests, durability across restarts. */
class KinesisBackendIT {
    @TempDir
    Path dir;

    private static NettyKinesisClient client(java.net.URI endpoint, boolean trustAll, Credentials creds) {
        return NettyKinesisClient.builder().endpoint(Endpoint.of(endpoint, "us-east-1")).protocol(Protocol.CBOR)
                .credentialsProvider(CredentialsProvider.of(creds)).trustAllCertificates(trustAll)
                .requestTimeout(Duration.ofSeconds(10)).build();
    }

    private static void awaitActive(NettyKinesisClient c, String stream) {
        await().atMost(Duration.ofSeconds(60)).until(() -> c.describeStreamSummary(new DescribeStreamSummaryRequest(
                stream, null)).join().streamDescriptionSummary().streamStatus().equals("ACTIVE"));
    }

    private static List<PutRecordsRequestEntry> entries(int n, int size) {
        List<PutRecordsRequestEntry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new PutRecordsRequestEntry(new byte[size], null, "k" + i));
        }
        return out;
    }

    private static List<StreamRecord> readAll(NettyKinesisClient c, String stream) {
        List<StreamRecord> out = new ArrayList<>();
        for (var shard : c.listShards(new ListShardsRequest(stream, null, null, null, null, null, null)).join()
                .shards()) {
            String it = c.getShardIterator(new GetShardIteratorRequest(stream, null, shard.shardId(), "TRIM_HORIZON",
                    null, null)).join().shardIterator();
            out.addAll(c.getRecords(new GetRecordsRequest(it, 10_000, null)).join().records());
        }
        return out;
    }

    @Test
    void ourClientOverTlsWithSignaturesRequired() {
        Credentials creds = Credentials.of("AKIDLOCAL", "local-secret");
        try (KinesisBackend backend = KinesisBackend.builder().tls(0, TlsMaterial.selfSigned(dir))
                .requireSignatures(creds).createStream("tls", 2).start();
                NettyKinesisClient good = client(backend.tlsEndpoint(), true, creds);
                NettyKinesisClient wrongSecret = client(backend.tlsEndpoint(), true,
                        Credentials.of("AKIDLOCAL", "wrong"));
                NettyKinesisClient unknownKey = client(backend.endpoint(), false, Credentials.of("NOPE", "x"))) {
            awaitActive(good, "tls");
            PutRecordsResponse r = good.putRecords(new PutRecordsRequest("tls", null, entries(10, 100))).join();
            assertThat(r.failedRecordCount()).isZero();
            assertThat(readAll(good, "tls")).hasSize(10);
            assertThatThrownBy(() -> wrongSecret.describeStreamSummary(new DescribeStreamSummaryRequest("tls", null))
                    .join()).hasCauseInstanceOf(AuthenticationException.class)
                    .hasMessageContaining("signature we calculated does not match");
            assertThatThrownBy(() -> unknownKey.describeStreamSummary(new DescribeStreamSummaryRequest("tls", null))
                    .join()).cause().isInstanceOfSatisfying(KinesisServiceException.class,
                            e -> assertThat(e.errorCode()).isEqualTo("UnrecognizedClientException"));
        }
    }

    @Test
    void severalHeldKeyPairsAreEachAcceptedAndCountedAndTheirSessionTokensChecked() {
        Credentials roleA = Credentials.of("ASIAROLEA", "secret-a", "token-a");
        Credentials roleB = Credentials.of("ASIAROLEB", "secret-b", "token-b");
        try (KinesisBackend backend = KinesisBackend.builder().requireSignatures(roleA, roleB)
                .createStream("rotating", 1).start();
                NettyKinesisClient a = client(backend.endpoint(), false, roleA);
                NettyKinesisClient b = client(backend.endpoint(), false, roleB);
                NettyKinesisClient unknown = client(backend.endpoint(), false,
                        Credentials.of("ASIAROLEC", "secret-a", "token-a"));
                NettyKinesisClient wrongToken = client(backend.endpoint(), false,
                        Credentials.of("ASIAROLEA", "secret-a", "token-b"));
                NettyKinesisClient noToken = client(backend.endpoint(), false,
                        Credentials.of("ASIAROLEB", "secret-b"))) {
            awaitActive(a, "rotating");
            long signedWithA = backend.signedRequestsByAccessKey().get("ASIAROLEA");
            assertThat(a.putRecords(new PutRecordsRequest("rotating", null, entries(5, 10))).join()
                    .failedRecordCount()).isZero();
            assertThat(b.putRecords(new PutRecordsRequest("rotating", null, entries(5, 10))).join()
                    .failedRecordCount()).isZero();
            assertThat(b.putRecords(new PutRecordsRequest("rotating", null, entries(5, 10))).join()
                    .failedRecordCount()).isZero();
            for (NettyKinesisClient refused : List.of(unknown, wrongToken, noToken)) {
                assertThatThrownBy(() -> refused.putRecords(new PutRecordsRequest("rotating", null, entries(1, 10)))
                        .join()).cause().isInstanceOfSatisfying(AuthenticationException.class, e -> {
                            assertThat(e.errorCode()).isEqualTo("UnrecognizedClientException");
                            assertThat(e).hasMessageContaining("security token included in the request is invalid");
                        });
            }
            assertThat(backend.signedRequestsByAccessKey()).containsOnlyKeys("ASIAROLEA", "ASIAROLEB")
                    .containsEntry("ASIAROLEA", signedWithA + 1).containsEntry("ASIAROLEB", 2L);
            assertThat(readAll(a, "rotating")).hasSize(15);
        }
    }

    @Test
    void theSdkSignaturesAreAcceptedWhenRequired() {
        try (KinesisBackend backend = KinesisBackend.builder()
                .requireSignatures(Credentials.of("AKIDSDK", "sdk-secret"))
                .createStream("signed", 1).start();
                KinesisClient sdk = SdkClients.sdk(backend.endpoint(), Protocol.CBOR, "AKIDSDK", "sdk-secret");
                KinesisClient wrong = SdkClients.sdk(backend.endpoint(), Protocol.JSON, "AKIDSDK", "nope")) {
            assertThat(sdk.listStreams().streamNames()).contains("signed");
            assertThatThrownBy(wrong::listStreams).isInstanceOfSatisfying(KinesisException.class,
                    e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException"));
        }
    }

    @Test
    void writesBeyondTheShardLimitComeBackAsFailedRecords() {
        // The limits' clock stands still, so no token refills between the requests, however slow this machine is.
        TimeSource frozenLimits = new TimeSource() {
            private final long nanos = System.nanoTime();

            @Override
            public long millis() {
                return System.currentTimeMillis();
            }

            @Override
            public long nanos() {
                return nanos;
            }
        };
        try (KinesisBackend backend = KinesisBackend.builder().time(frozenLimits).createStream("limited", 1).start();
                NettyKinesisClient c = client(backend.endpoint(), false, Credentials.of("A", "B"))) {
            awaitActive(c, "limited");
            int failed = 0;
            for (int i = 0; i < 3; i++) {
                PutRecordsResponse r = c.putRecords(new PutRecordsRequest("limited", null, entries(500, 10))).join();
                failed += r.failedRecordCount();
                r.records().stream().filter(e -> e.errorCode() != null).forEach(e -> {
                    assertThat(e.errorCode()).isEqualTo("ProvisionedThroughputExceededException");
                    assertThat(e.errorMessage()).contains("Rate exceeded for shard shardId-000000000000");
                });
            }
            assertThat(failed).isEqualTo(500); // a shard takes a burst of 1,000 records, and nothing refilled
        }
    }

    @Test
    void badRequestsGetKinesisErrorsAndTheServerKeepsServing() throws Exception {
        try (KinesisBackend backend = KinesisBackend.builder().start();
                NettyKinesisClient c = client(backend.endpoint(), false, Credentials.of("A", "B"))) {
            assertThatThrownBy(() -> c.createStream(
                    new CreateStreamRequest("bad name!", 1, null, null, null, null)).join())
                    .cause().isInstanceOf(ValidationException.class).hasMessageContaining("streamName");
            // Garbage, an unknown action, a body cut off mid-request: 4xx answers or a closed socket, never a crash.
            assertThat(rawRequest(backend.port(), "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/"
                    + "x-amz-json-1.1\r\nX-Amz-Target: Kinesis_20131202.ListStreams\r\nContent-Length: 5\r\n\r\n{{{{{"))
                    .startsWith("HTTP/1.1 400").contains("SerializationException");
            assertThat(rawRequest(backend.port(), "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/"
                    + "x-amz-json-1.1\r\nX-Amz-Target: Kinesis_20131202.Nope\r\nContent-Length: 2\r\n\r\n{}"))
                    .startsWith("HTTP/1.1 400").contains("UnknownOperationException");
            try (Socket s = new Socket("127.0.0.1", backend.port())) {
                s.getOutputStream().write(("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1"
                        + "\r\nX-Amz-Target: Kinesis_20131202.ListStreams\r\nContent-Length: 1000\r\n\r\n{\"Li")
                        .getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(rawRequest(backend.port(), "GARBAGE\r\n\r\n")).startsWith("HTTP/1.");
            assertThat(c.listStreams(new io.runnel.wire.model.ListStreamsRequest(null, null, null)).join()
                    .streamNames()).isEmpty();
        }
    }

    private static String rawRequest(int port, String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int n = in.read(buf);
            return n < 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
        }
    }

    @Test
    void acknowledgedRecordsSurviveARestartOfADurableBackend() {
        List<String> sequenceNumbers = new ArrayList<>();
        try (KinesisBackend backend = KinesisBackend.builder().dataDir(dir).fsyncAlways(true).createStream("durable", 2)
                .start();
                NettyKinesisClient c = client(backend.endpoint(), false, Credentials.of("A", "B"))) {
            awaitActive(c, "durable");
            c.putRecords(new PutRecordsRequest("durable", null, entries(200, 50))).join().records()
                    .forEach(e -> sequenceNumbers.add(e.sequenceNumber()));
        }
        try (KinesisBackend again = KinesisBackend.builder().dataDir(dir).createStream("durable", 2).start();
                NettyKinesisClient c = client(again.endpoint(), false, Credentials.of("A", "B"))) {
            assertThat(readAll(c, "durable")).extracting(StreamRecord::sequenceNumber)
                    .containsExactlyInAnyOrderElementsOf(sequenceNumbers);
        }
    }

    @Test
    void anInMemoryBackendSpillsOlderRecordsReadsThemBackAndRemovesTheSpillDirectoryWhenClosed() throws Exception {
        List<String> sequenceNumbers = new ArrayList<>();
        Path spillRoot;
        try (KinesisBackend backend = KinesisBackend.builder().spillDir(dir).hotBytesPerShard(4096)
                .segmentBytes(16 * 1024).createStream("spilled", 2).start();
                NettyKinesisClient c = client(backend.endpoint(), false, Credentials.of("A", "B"))) {
            awaitActive(c, "spilled");
            for (int batch = 0; batch < 4; batch++) {
                c.putRecords(new PutRecordsRequest("spilled", null, entries(100, 1000))).join().records()
                        .forEach(e -> sequenceNumbers.add(e.sequenceNumber()));
            }
            try (java.util.stream.Stream<Path> dirs = java.nio.file.Files.list(dir)) {
                spillRoot = dirs.filter(p -> p.getFileName().toString().startsWith("runnel-backend-"
                        + ProcessHandle.current().pid() + "-")).findFirst().orElseThrow();
            }
            try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(spillRoot)) {
                assertThat(files.filter(p -> p.toString().endsWith(".seg")).count()).isGreaterThan(4);
            }
            for (var shard : backend.store().stream("spilled", null).shards()) {
                assertThat(shard.log().memoryBytes()).isLessThanOrEqualTo(4096);
            }
            List<StreamRecord> read = readAll(c, "spilled");
            assertThat(read).extracting(StreamRecord::sequenceNumber)
                    .containsExactlyInAnyOrderElementsOf(sequenceNumbers);
            assertThat(read).allSatisfy(r -> assertThat(r.data()).hasSize(1000));
        }
        assertThat(spillRoot).doesNotExist();
    }

    @Test
    void clientErrorsSurfaceThroughTheFuture() {
        try (KinesisBackend backend = KinesisBackend.builder().start();
                NettyKinesisClient c = client(backend.endpoint(), false, Credentials.of("A", "B"))) {
            assertThatThrownBy(() -> c.describeStreamSummary(new DescribeStreamSummaryRequest("missing", null)).join())
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(io.runnel.wire.error.ResourceNotFoundException.class)
                    .hasMessageContaining("Stream missing under account 000000000000 not found.");
        }
    }
}
