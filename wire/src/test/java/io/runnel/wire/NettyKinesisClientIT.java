package io.runnel.wire;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.runnel.testing.Faults;
import io.runnel.testing.FaultyProxy;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.codec.KinesisCodec;
import io.runnel.wire.codec.Operation;
import io.runnel.wire.codec.RandomModels;
import io.runnel.wire.error.InternalFailureException;
import io.runnel.wire.error.KinesisTransportException;
import io.runnel.wire.error.KinesisTransportException.Kind;
import io.runnel.wire.error.ResourceNotFoundException;
import io.runnel.wire.error.ValidationException;
import io.runnel.wire.model.DescribeLimitsRequest;
import io.runnel.wire.model.DescribeLimitsResponse;
import io.runnel.wire.model.PutRecordsRequest;
import io.runnel.wire.model.PutRecordsRequestEntry;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client against WireMock: request shape of every action, responses, errors, faults, timeouts, TLS, pooling. */
class NettyKinesisClientIT {
    private static final DescribeLimitsResponse LIMITS = new DescribeLimitsResponse(500, 3, 0, 50);
    private static final CredentialsProvider CREDENTIALS = CredentialsProvider.of(Credentials.of("AKIDTEST", "secret"));

    private WireMockServer wireMock;
    private final List<NettyKinesisClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        wireMock = new WireMockServer(options().dynamicPort().dynamicHttpsPort());
        wireMock.start();
    }

    @AfterEach
    void stop() {
        clients.forEach(NettyKinesisClient::close);
        wireMock.stop();
    }

    private NettyKinesisClient client(Protocol protocol, java.util.function.Consumer<NettyKinesisClient.Builder> more) {
        NettyKinesisClient.Builder b = NettyKinesisClient.builder()
                .endpoint(Endpoint.of("http://localhost:" + wireMock.port(), "us-east-1"))
                .protocol(protocol).credentialsProvider(CREDENTIALS)
                .connectTimeout(Duration.ofSeconds(10)).requestTimeout(Duration.ofSeconds(30));
        more.accept(b);
        NettyKinesisClient c = b.build();
        clients.add(c);
        return c;
    }

    private void stubOk(Operation op, KinesisCodec codec, Record response) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        codec.encodeResponse(op, response, body);
        wireMock.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo(op.target()))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", codec.contentType())
                        .withBody(body.toByteArray())));
    }

    private static Throwable failure(CompletableFuture<?> f) {
        try {
            f.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("future did not fail in time", e);
        }
        throw new AssertionError("future succeeded");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void everyActionSendsItsSignedRequestAndParsesItsResponse(Protocol protocol) throws Exception {
        KinesisCodec codec = KinesisCodec.of(protocol);
        RandomModels random = new RandomModels(11 + protocol.ordinal(), true);
        NettyKinesisClient client = client(protocol, b -> { });
        for (Operation op : Operation.values()) {
            Record request = random.create(op.requestType());
            while (!KinesisCodec.addressesAStream(request)) {
                request = random.create(op.requestType()); // a request naming no stream is refused before I/O
            }
            if (request instanceof PutRecordsRequest p && (p.records().isEmpty() || badKeys(p))) {
                request = new PutRecordsRequest("s", null, List.of(new PutRecordsRequestEntry(new byte[] {1}, null,
                        "k")));
            }
            if (request instanceof io.runnel.wire.model.PutRecordRequest p && (p.partitionKey() == null
                    || p.partitionKey().isEmpty() || p.partitionKey().length() > 256)) {
                request = new io.runnel.wire.model.PutRecordRequest("s", null, new byte[] {1}, "k", null, null);
            }
            Record response = random.create(op.responseType());
            wireMock.resetAll();
            stubOk(op, codec, response);
            Record got = client.execute(op, request, op.responseType()).get(60, TimeUnit.SECONDS);
            assertThat(got).as(op.actionName()).isEqualTo(response);
            List<LoggedRequest> sent = wireMock.findAll(postRequestedFor(urlEqualTo("/")));
            assertThat(sent).hasSize(1);
            LoggedRequest r = sent.get(0);
            assertThat(r.getHeader("X-Amz-Target")).isEqualTo(op.target());
            assertThat(r.getHeader("Content-Type")).isEqualTo(protocol.contentType());
            assertThat(r.getHeader("X-Amz-Date")).matches("\\d{8}T\\d{6}Z");
            assertThat(r.getHeader("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/")
                    .contains("/us-east-1/kinesis/aws4_request, SignedHeaders=content-type;host;x-amz-date;"
                            + "x-amz-target, Signature=");
            assertThat(r.getHeader("Host")).isEqualTo("localhost:" + wireMock.port());
            assertThat(codec.decode(op.requestType(), r.getBody(), 0, r.getBody().length)).isEqualTo(request);
        }
        assertThat(client.connectionsOpened()).isEqualTo(1);
    }

    private static boolean badKeys(PutRecordsRequest p) {
        return p.records().stream().anyMatch(e -> e.partitionKey() == null || e.partitionKey().isEmpty()
                || e.partitionKey().length() > 256);
    }

    @Test
    void serviceErrorsBecomeTypedExceptions() {
        KinesisCodec codec = KinesisCodec.cbor();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        codec.encodeError("ResourceNotFoundException", "Stream x not found.", body);
        wireMock.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(400)
                .withHeader("x-amzn-RequestId", "req-7").withBody(body.toByteArray())));
        NettyKinesisClient client = client(Protocol.CBOR, b -> { });
        Throwable e = failure(client.describeLimits(new DescribeLimitsRequest()));
        assertThat(e).isInstanceOf(ResourceNotFoundException.class).hasMessage("Stream x not found.");
        assertThat(((ResourceNotFoundException) e).requestId()).isEqualTo("req-7");

        wireMock.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(500).withBody("oops")));
        Throwable internal = failure(client.describeLimits(new DescribeLimitsRequest()));
        assertThat(internal).isInstanceOf(InternalFailureException.class);
        assertThat(((InternalFailureException) internal).isRetryable()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE", "MALFORMED_RESPONSE_CHUNK",
        "RANDOM_DATA_THEN_CLOSE"})
    void faultsFailTheFutureWithATransportError(Fault fault) throws Exception {
        wireMock.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withFault(fault)));
        NettyKinesisClient client = client(Protocol.CBOR, b -> { });
        Throwable e = failure(client.describeLimits(new DescribeLimitsRequest()));
        assertThat(e).isInstanceOfSatisfying(KinesisTransportException.class, t -> {
            assertThat(t.kind()).isIn(Kind.CONNECTION_CLOSED, Kind.MALFORMED_RESPONSE);
            assertThat(t.isRetryable()).isTrue();
        });
        // The client is still usable afterwards, on a fresh connection.
        wireMock.resetAll();
        stubOk(Operation.DESCRIBE_LIMITS, KinesisCodec.cbor(), LIMITS);
        assertThat(client.describeLimits(new DescribeLimitsRequest()).get(60, TimeUnit.SECONDS)).isEqualTo(LIMITS);
    }

    @Test
    void slowResponseTimesOutAndTheConnectionIsNotReused() throws Exception {
        // The response would come (with a body the codec cannot read) long after the timeout: only the timeout can
        // end this call with REQUEST_TIMEOUT, however slow the machine.
        wireMock.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withFixedDelay(15_000)));
        NettyKinesisClient client = client(Protocol.CBOR, b -> b.requestTimeout(Duration.ofMillis(300)));
        Throwable e = failure(client.describeLimits(new DescribeLimitsRequest()));
        assertThat(e).isInstanceOfSatisfying(KinesisTransportException.class,
                t -> assertThat(t.kind()).isEqualTo(Kind.REQUEST_TIMEOUT));
        wireMock.resetAll();
        stubOk(Operation.DESCRIBE_LIMITS, KinesisCodec.cbor(), LIMITS);
        assertThat(client.describeLimits(new DescribeLimitsRequest()).get(60, TimeUnit.SECONDS)).isEqualTo(LIMITS);
        assertThat(client.connectionsOpened()).isEqualTo(2);
    }

    @Test
    void deadEndpointFailsToConnect() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        NettyKinesisClient client = NettyKinesisClient.builder()
                .endpoint(Endpoint.of("http://127.0.0.1:" + port, "us-east-1")).credentialsProvider(CREDENTIALS)
                .build();
        clients.add(client);
        Throwable e = failure(client.describeLimits(new DescribeLimitsRequest()));
        assertThat(e).isInstanceOfSatisfying(KinesisTransportException.class,
                t -> assertThat(t.kind()).isEqualTo(Kind.CONNECT_FAILED));
    }

    @Test
    void keepAliveReusesOneConnectionAndThePoolNeverExceedsItsSize() throws Exception {
        stubOk(Operation.DESCRIBE_LIMITS, KinesisCodec.cbor(), LIMITS);
        NettyKinesisClient sequential = client(Protocol.CBOR, b -> { });
        for (int i = 0; i < 20; i++) {
            sequential.describeLimits(new DescribeLimitsRequest()).get(60, TimeUnit.SECONDS);
        }
        assertThat(sequential.connectionsOpened()).isEqualTo(1);

        wireMock.resetAll();
        wireMock.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withFixedDelay(20)
                .withBody(KinesisCodec.cbor().encode(LIMITS))));
        NettyKinesisClient pooled = client(Protocol.CBOR, b -> b.maxConnections(4));
        List<CompletableFuture<DescribeLimitsResponse>> all = new ArrayList<>();
        List<Integer> open = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 100; i++) {
            all.add(pooled.describeLimits(new DescribeLimitsRequest()));
            open.add(pooled.openConnections());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertThat(all).allSatisfy(f -> assertThat(f.join()).isEqualTo(LIMITS));
        assertThat(pooled.connectionsOpened()).isLessThanOrEqualTo(4);
        assertThat(open).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(4));
    }

    @Test
    void connectionCloseFromTheServerIsHonoured() throws Exception {
        wireMock.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withHeader("Connection", "close")
                .withBody(KinesisCodec.cbor().encode(LIMITS))));
        NettyKinesisClient client = client(Protocol.CBOR, b -> { });
        for (int i = 0; i < 3; i++) {
            assertThat(client.describeLimits(new DescribeLimitsRequest()).get(60, TimeUnit.SECONDS)).isEqualTo(LIMITS);
        }
        assertThat(client.connectionsOpened()).isEqualTo(3);
    }

    @Test
    void tlsVerifiesCertificatesUnlessToldNotTo() throws Exception {
        stubOk(Operation.DESCRIBE_LIMITS, KinesisCodec.cbor(), LIMITS);
        Endpoint https = Endpoint.of("https://localhost:" + wireMock.httpsPort(), "us-east-1");
        NettyKinesisClient verifying = NettyKinesisClient.builder().endpoint(https).credentialsProvider(CREDENTIALS)
                .build();
        clients.add(verifying);
        assertThat(failure(verifying.describeLimits(new DescribeLimitsRequest())))
                .isInstanceOfSatisfying(KinesisTransportException.class,
                        t -> assertThat(t.kind()).isEqualTo(Kind.TLS_FAILED));
        NettyKinesisClient trusting = NettyKinesisClient.builder().endpoint(https).credentialsProvider(CREDENTIALS)
                .trustAllCertificates(true).build();
        clients.add(trusting);
        assertThat(trusting.describeLimits(new DescribeLimitsRequest()).get(60, TimeUnit.SECONDS)).isEqualTo(LIMITS);
    }

    @Test
    void theRecentRoundTripLeavesOutOpeningTheConnection() throws Exception {
        stubOk(Operation.DESCRIBE_LIMITS, KinesisCodec.cbor(), LIMITS);
        long delay = TimeUnit.MILLISECONDS.toNanos(200);
        try (FaultyProxy far = FaultyProxy.start("localhost", wireMock.httpsPort(),
                Faults.none().withChunkDelayMillis(200))) {
            NettyKinesisClient client = NettyKinesisClient.builder()
                    .endpoint(Endpoint.of("https://localhost:" + far.port(), "us-east-1"))
                    .credentialsProvider(CREDENTIALS).trustAllCertificates(true).build();
            clients.add(client);
            assertThat(client.recentRoundTripNanos()).isZero();
            long start = System.nanoTime();
            assertThat(client.describeLimits(new DescribeLimitsRequest()).get(60, TimeUnit.SECONDS)).isEqualTo(LIMITS);
            long call = System.nanoTime() - start;
            // Bounds the proxy's delay sets, whatever the machine's speed: the request and its answer each crossed
            // it once; before the request, the TLS handshake crossed it at least twice (hello and answer).
            assertThat(client.recentRoundTripNanos()).isGreaterThanOrEqualTo(2 * delay)
                    .isLessThanOrEqualTo(call - 2 * delay);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void putRecordsOfRangesSendsTheRequestsBytesAndReadsTheArraysOnlyDuringTheCall(Protocol protocol)
            throws Exception {
        KinesisCodec codec = KinesisCodec.of(protocol);
        stubOk(Operation.PUT_RECORDS, codec, new io.runnel.wire.model.PutRecordsResponse(0, List.of(
                new io.runnel.wire.model.PutRecordsResultEntry("1", "shardId-000000000000", null, null),
                new io.runnel.wire.model.PutRecordsResultEntry("2", "shardId-000000000000", null, null)), null));
        NettyKinesisClient client = client(protocol, b -> { });
        byte[] shared = "..first|second..".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        PutRecordsEntries ranges = new PutRecordsEntries() {
            @Override
            public int size() {
                return 2;
            }

            @Override
            public byte[] dataArray(int i) {
                return shared;
            }

            @Override
            public int dataOffset(int i) {
                return i == 0 ? 2 : 8;
            }

            @Override
            public int dataLength(int i) {
                return i == 0 ? 5 : 6;
            }

            @Override
            public String partitionKey(int i) {
                return "k" + i;
            }

            @Override
            public String explicitHashKey(int i) {
                return i == 0 ? null : "42";
            }
        };
        CompletableFuture<io.runnel.wire.model.PutRecordsResponse> call = client.putRecords("s", null, ranges);
        java.util.Arrays.fill(shared, (byte) 'X'); // the caller reuses its buffer as soon as the call returns
        assertThat(call.get(60, TimeUnit.SECONDS).records()).hasSize(2);
        LoggedRequest sent = wireMock.findAll(postRequestedFor(urlEqualTo("/"))).get(0);
        PutRecordsRequest expected = new PutRecordsRequest("s", null, List.of(
                new PutRecordsRequestEntry("first".getBytes(java.nio.charset.StandardCharsets.US_ASCII), null, "k0"),
                new PutRecordsRequestEntry("second".getBytes(java.nio.charset.StandardCharsets.US_ASCII), "42",
                        "k1")));
        assertThat(sent.getBody()).isEqualTo(codec.encode(expected));
        assertThat(sent.getHeader("X-Amz-Target")).isEqualTo(Operation.PUT_RECORDS.target());
        assertThat(sent.getHeader("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/");

        List<PutRecordsRequestEntry> tooMany = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            tooMany.add(new PutRecordsRequestEntry(new byte[1], null, "k"));
        }
        wireMock.resetRequests();
        assertThat(failure(client.putRecords("s", null, PutRecordsEntries.of(tooMany))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("500");
        assertThat(failure(client.putRecords("s", null, PutRecordsEntries.of(List.of(
                new PutRecordsRequestEntry(null, null, "k")))))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("records.1.member.data");
        assertThat(failure(client.putRecords(null, null, ranges))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("StreamName or StreamARN");
        assertThat(wireMock.findAll(postRequestedFor(urlEqualTo("/")))).isEmpty();
    }

    @Test
    void invalidRequestsFailBeforeAnyIo() {
        NettyKinesisClient client = client(Protocol.CBOR, b -> { });
        List<PutRecordsRequestEntry> tooMany = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            tooMany.add(new PutRecordsRequestEntry(new byte[1], null, "k"));
        }
        assertThat(failure(client.putRecords(new PutRecordsRequest("s", null, tooMany))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("500");
        assertThat(failure(client.putRecords(new PutRecordsRequest("s", null, List.of(
                new PutRecordsRequestEntry(new byte[1], null, "")))))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("records.1.member.partitionKey");
        List<PutRecordsRequestEntry> big = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            big.add(new PutRecordsRequestEntry(new byte[1024 * 1024], null, "k"));
        }
        assertThat(failure(client.putRecords(new PutRecordsRequest("s", null, big))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("5242880");
        assertThat(failure(client.putRecords(new PutRecordsRequest("s", null, List.of(
                new PutRecordsRequestEntry(null, null, "k")))))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("records.1.member.data");
        assertThat(failure(client.putRecords(new PutRecordsRequest(null, null, List.of(
                new PutRecordsRequestEntry(new byte[1], null, "k")))))).isInstanceOf(ValidationException.class)
                .hasMessageContaining("StreamName or StreamARN");
        assertThat(wireMock.findAll(postRequestedFor(urlEqualTo("/")))).isEmpty();
        assertThat(client.connectionsOpened()).isZero();
    }

    @Test
    void closeFailsWhatIsPendingAndEverythingAfter() throws Exception {
        wireMock.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
        NettyKinesisClient client = client(Protocol.CBOR, b -> b.maxConnections(1));
        List<CompletableFuture<DescribeLimitsResponse>> pending = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pending.add(client.describeLimits(new DescribeLimitsRequest()));
        }
        client.close();
        for (CompletableFuture<DescribeLimitsResponse> f : pending) {
            assertThat(failure(f)).isInstanceOfSatisfying(KinesisTransportException.class,
                    t -> assertThat(t.kind()).isEqualTo(Kind.CLIENT_CLOSED));
        }
        assertThat(failure(client.describeLimits(new DescribeLimitsRequest())))
                .isInstanceOfSatisfying(KinesisTransportException.class,
                        t -> assertThat(t.kind()).isEqualTo(Kind.CLIENT_CLOSED));
    }

    @Test
    void nullDataOrMissingEndpointAreRefusedAtOnce() {
        assertThatThrownBy(() -> NettyKinesisClient.builder().build()).hasMessageContaining("endpoint");
        assertThatThrownBy(() -> NettyKinesisClient.builder().maxConnections(0)).hasMessageContaining("maxConnections");
    }
}
