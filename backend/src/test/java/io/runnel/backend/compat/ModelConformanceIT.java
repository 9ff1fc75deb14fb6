package io.runnel.backend.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnel.backend.KinesisBackend;
import io.runnel.backend.store.StoreSettings;
import io.runnel.wire.Protocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The backend against the Kinesis service model, operation by operation. The operations and their members come from
 * the AWS SDK v2 (so a newer SDK with an operation the backend does not answer fails here); lengths, patterns, enums,
 * ranges and required members from the model files in {@code io/runnel/backend/api} (botocore's Kinesis model plus
 * what the SDK sends beyond it; each file names its source). Three checks:
 * <ul>
 * <li>the SDK's operations and members are the model's (a newer SDK means a newer model file);</li>
 * <li>the SDK's sync client, in CBOR and in JSON, gets an answer to a valid call of every operation;</li>
 * <li>each valid request, as the SDK's JSON client sent it, broken one way at a time (a required member left out, a
 * string too short, too long or off its pattern, an unknown enum value, a number or list out of range), is refused
 * with HTTP 400 and {@code ValidationException} naming the member, never 200 or 5xx.</li>
 * </ul>
 */
class ModelConformanceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TARGET_PREFIX = "Kinesis_20131202.";
    /** Operations only the async client has: they answer with an event stream, covered by SubscribeToShardIT. */
    private static final String SUBSCRIBE = "SubscribeToShard";

    private static final SkippingTime TIME = new SkippingTime();
    private static KinesisBackend backend;
    private static Map<String, ObjectNode> baselines; // captured once, from the first test that needs them
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        backend = KinesisBackend.builder()
                .settings(StoreSettings.defaults().withTransitionMillis(0))
                .limits(false)
                .time(TIME)
                .start();
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    // ---------------------------------------------------------------- the SDK's operations and the model

    /** Every operation of the SDK's Kinesis clients, by the SDK's request class names. */
    static List<String> sdkOperations() {
        TreeSet<String> ops = new TreeSet<>();
        for (Class<?> client : List.of(KinesisClient.class, KinesisAsyncClient.class)) {
            for (Method m : client.getMethods()) {
                Class<?>[] params = m.getParameterTypes();
                if (params.length >= 1 && SdkPojo.class.isAssignableFrom(params[0])
                        && params[0].getSimpleName().endsWith("Request") && !m.getName().endsWith("Paginator")) {
                    String simple = params[0].getSimpleName();
                    ops.add(simple.substring(0, simple.length() - "Request".length()));
                }
            }
        }
        return List.copyOf(ops);
    }

    static List<String> syncOperations() {
        return sdkOperations().stream().filter(op -> !op.equals(SUBSCRIBE)).toList();
    }

    private static List<String> sdkMembers(String operation) {
        try {
            Class<?> type = Class.forName("software.amazon.awssdk.services.kinesis.model." + operation + "Request");
            SdkPojo builder = (SdkPojo) type.getMethod("builder").invoke(null);
            return builder.sdkFields().stream().map(SdkField::memberName).toList();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theModelDescribesEveryOperationAndMemberOfTheSdk() {
        Model model = Model.load();
        assertThat(sdkOperations()).hasSize(45);
        Map<String, List<String>> differences = new TreeMap<>();
        for (String op : sdkOperations()) {
            JsonNode input = model.input(op);
            if (input == null) {
                differences.put(op, List.of("operation missing from the model"));
                continue;
            }
            List<String> modelMembers = new ArrayList<>();
            input.path("members").fieldNames().forEachRemaining(modelMembers::add);
            if (!new TreeSet<>(modelMembers).equals(new TreeSet<>(sdkMembers(op)))) {
                differences.put(op, List.of("model " + new TreeSet<>(modelMembers), "SDK " + sdkMembers(op)));
            }
        }
        assertThat(differences).as("update kinesis-2013-12-02*.json to the SDK's model").isEmpty();
    }

    // ---------------------------------------------------------------- the SDK against every operation

    static Stream<Arguments> everyOperationInBothProtocols() {
        return Stream.of(Protocol.values()).flatMap(p -> syncOperations().stream().map(op -> Arguments.of(p, op)));
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("everyOperationInBothProtocols")
    void theSdkGetsAnAnswerToAValidCallOfEveryOperation(Protocol protocol, String operation) {
        try (KinesisClient kinesis = sdk(protocol, null)) {
            new ValidCalls(kinesis, protocol.name().toLowerCase(), TIME).call(operation);
        }
    }

    // ---------------------------------------------------------------- invalid requests, from the model

    /** One request to send raw, with what its refusal must name. */
    record Case(String name, String operation, String body, String member) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> invalidRequests() {
        Model model = Model.load();
        Map<String, ObjectNode> baselines = baselines();
        List<Case> cases = new ArrayList<>();
        for (String op : sdkOperations()) {
            ObjectNode baseline = baselines.get(op);
            assertThat(baseline).as("valid " + op + " request").isNotNull();
            ObjectNode request = baseline.deepCopy();
            new Variants(model, op, cases).of(model.input(op), request, request, "");
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void aRequestOffTheModelIsAValidationException(Case c) throws Exception {
        HttpResponse<String> response = post(c.operation(), c.body());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body());
        assertThat(error.path("__type").asText()).as(response.body()).isEqualTo("ValidationException");
        assertThat(error.path("message").asText()).contains("at '" + c.member() + "'");
    }

    // ---------------------------------------------------------------- StreamId, wherever the model has it

    /** A request naming its stream by StreamId, and the answer it must get. */
    record StreamIdCase(String name, String operation, String body, int status, String type) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<StreamIdCase> streamIdRequests() throws Exception {
        Model model = Model.load();
        String otherId = streamId(JsonNodeFactory.instance.objectNode().put("StreamName", otherStream()));
        List<StreamIdCase> cases = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> e : baselines().entrySet()) {
            String op = e.getKey();
            ObjectNode baseline = e.getValue();
            JsonNode input = model.input(op);
            if (!input.path("members").has("StreamId")) {
                continue;
            }
            ObjectNode address = JsonNodeFactory.instance.objectNode();
            for (String m : List.of("StreamName", "StreamARN")) {
                if (baseline.has(m)) {
                    address.set(m, baseline.get(m));
                }
            }
            for (String m : List.of("ResourceARN", "ConsumerARN")) {
                if (address.isEmpty() && baseline.has(m)) {
                    address.put("StreamARN", baseline.get(m).asText().replaceAll("/consumer/.*", ""));
                }
            }
            String id = address.isEmpty() ? null : streamId(address);
            if (id == null) {
                continue; // names no stream (GetRecords), or its stream is gone (DeleteStream)
            }
            ObjectNode other = baseline.deepCopy().put("StreamId", otherId);
            cases.add(new StreamIdCase(op + ": StreamId of another stream", op, other.toString(), 400,
                    "InvalidArgumentException"));
            boolean named = baseline.has("StreamName") || baseline.has("StreamARN");
            boolean required = false;
            for (JsonNode r : input.path("required")) {
                required |= r.asText().equals("StreamName") || r.asText().equals("StreamARN");
            }
            if (named && !required) {
                ObjectNode unknown = baseline.deepCopy();
                unknown.remove(List.of("StreamName", "StreamARN"));
                cases.add(new StreamIdCase(op + ": an unknown StreamId alone", op,
                        unknown.put("StreamId", "abcdefghij0123456789-abc").toString(), 400,
                        "ResourceNotFoundException"));
                HttpResponse<String> byName = post(op, baseline.toString());
                ObjectNode byId = baseline.deepCopy();
                byId.remove(List.of("StreamName", "StreamARN"));
                cases.add(new StreamIdCase(op + ": StreamId instead of the stream's name or ARN answers as by name",
                        op, byId.put("StreamId", id).toString(), byName.statusCode(), errorType(byName)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streamIdRequests")
    void aStreamIdNamesTheStream(StreamIdCase c) throws Exception {
        HttpResponse<String> response = post(c.operation(), c.body());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(c.status());
        assertThat(errorType(response)).as(response.body()).isEqualTo(c.type());
    }

    private static String otherStream() {
        try (KinesisClient kinesis = sdk(Protocol.JSON, null)) {
            return new ValidCalls(kinesis, "id", TIME).stream("id-other", 1);
        }
    }

    /** The StreamId of the stream {@code address} names, or null when there is none. */
    private static String streamId(ObjectNode address) throws Exception {
        HttpResponse<String> r = post("DescribeStreamSummary", address.toString());
        return r.statusCode() == 200
                ? JSON.readTree(r.body()).path("StreamDescriptionSummary").path("StreamId").asText(null) : null;
    }

    private static String errorType(HttpResponse<String> response) throws IOException {
        return response.statusCode() == 200 ? null : JSON.readTree(response.body()).path("__type").asText();
    }

    private static HttpResponse<String> post(String operation, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(backend.endpoint())
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", TARGET_PREFIX + operation)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The valid request of each operation, as the SDK's JSON client sent it (SubscribeToShard's written here). */
    private static synchronized Map<String, ObjectNode> baselines() {
        if (baselines == null) {
            baselines = captureBaselines();
        }
        return baselines;
    }

    private static Map<String, ObjectNode> captureBaselines() {
        Map<String, ObjectNode> sent = new ConcurrentHashMap<>();
        ExecutionInterceptor capture = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                String target = context.httpRequest().firstMatchingHeader("X-Amz-Target").orElseThrow();
                context.requestBody().ifPresent(body -> {
                    try (InputStream in = body.contentStreamProvider().newStream()) {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        in.transferTo(out);
                        sent.put(target.substring(TARGET_PREFIX.length()),
                                (ObjectNode) JSON.readTree(out.toByteArray()));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        };
        Map<String, ObjectNode> baselines = new TreeMap<>();
        try (KinesisClient kinesis = sdk(Protocol.JSON, capture)) {
            ValidCalls calls = new ValidCalls(kinesis, "raw", TIME);
            for (String op : syncOperations()) {
                sent.clear();
                calls.call(op);
                baselines.put(op, sent.get(op));
            }
            ObjectNode subscribe = JsonNodeFactory.instance.objectNode();
            subscribe.put("ConsumerARN", calls.consumer("raw-" + SUBSCRIBE));
            subscribe.put("ShardId", "shardId-000000000000");
            subscribe.putObject("StartingPosition").put("Type", "LATEST");
            baselines.put(SUBSCRIBE, subscribe);
        }
        return baselines;
    }

    /** Every single-fault variant of a valid request, walking the model's shapes. */
    private record Variants(Model model, String operation, List<Case> cases) {
        private static final Pattern ANY = Pattern.compile("(?s).*");

        /** Variants of the members of {@code shape}, whose value is {@code node} inside {@code root}. */
        void of(JsonNode shape, ObjectNode root, ObjectNode node, String path) {
            JsonNode required = shape.path("required");
            for (Iterator<Map.Entry<String, JsonNode>> it = shape.path("members").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> m = it.next();
                String member = m.getKey();
                String memberPath = path + Character.toLowerCase(member.charAt(0)) + member.substring(1);
                JsonNode target = model.shape(m.getValue().path("shape").asText());
                for (JsonNode r : required) {
                    if (r.asText().equals(member)) {
                        add(memberPath + " left out", memberPath, root, node, n -> n.remove(member));
                    }
                }
                String type = target.path("type").asText();
                switch (type) {
                    case "string" -> strings(target, root, node, member, memberPath);
                    case "integer", "long" -> {
                        if (target.has("min")) {
                            long v = target.get("min").asLong() - 1;
                            add(memberPath + " = " + v, memberPath, root, node, n -> n.put(member, v));
                        }
                        if (target.has("max")) {
                            long v = target.get("max").asLong() + 1;
                            add(memberPath + " = " + v, memberPath, root, node, n -> n.put(member, v));
                        }
                    }
                    case "list", "map" -> sizes(target, root, node, member, memberPath);
                    case "structure" -> {
                        if (node.get(member) instanceof ObjectNode inner) {
                            of(target, root, inner, memberPath + ".");
                        }
                    }
                    default -> {
                        // blobs, booleans, timestamps: the data size bound is the store's (the stream's record size)
                    }
                }
            }
        }

        private void strings(JsonNode shape, ObjectNode root, ObjectNode node, String member, String path) {
            if (shape.has("enum")) {
                add(path + " not in its enum", path, root, node, n -> n.put(member, "NOT_A_KINESIS_VALUE"));
                return;
            }
            int min = shape.path("min").asInt(0);
            Pattern pattern = shape.has("pattern") ? Pattern.compile(shape.get("pattern").asText()) : ANY;
            if (min > 0) {
                add(path + " shorter than " + min, path, root, node, n -> n.put(member, "a".repeat(min - 1)));
            }
            if (shape.has("max")) {
                int max = shape.get("max").asInt();
                add(path + " longer than " + max, path, root, node, n -> n.put(member, "a".repeat(max + 1)));
            }
            if (pattern != ANY) {
                for (String bad : List.of("a b", "!", "-1", "x")) {
                    if (!pattern.matcher(bad).matches() && bad.length() >= min) {
                        add(path + " off its pattern", path, root, node, n -> n.put(member, bad));
                        break;
                    }
                }
            }
        }

        private void sizes(JsonNode shape, ObjectNode root, ObjectNode node, String member, String path) {
            boolean list = shape.path("type").asText().equals("list");
            if (shape.path("min").asInt(0) > 0) {
                add(path + " empty", path, root, node, n -> {
                    if (list) {
                        n.putArray(member);
                    } else {
                        n.putObject(member);
                    }
                });
            }
            if (shape.has("max") && node.get(member) != null && node.get(member).size() > 0) {
                int max = shape.get("max").asInt();
                add(path + " with " + (max + 1) + " entries", path, root, node, n -> {
                    JsonNode one = n.get(member);
                    if (list) {
                        ArrayNode many = n.putArray(member);
                        for (int i = 0; i <= max; i++) {
                            many.add(one.get(0).deepCopy());
                        }
                    } else {
                        ObjectNode many = n.putObject(member);
                        for (int i = 0; i <= max; i++) {
                            many.put("key" + i, "v");
                        }
                    }
                });
            }
            if (list && node.get(member) instanceof ArrayNode elements && !elements.isEmpty()
                    && elements.get(0) instanceof ObjectNode first) {
                of(model.shape(shape.path("member").path("shape").asText()), root, first, path + ".1.member.");
            }
        }

        /** Adds the case of {@code root} with {@code change} applied to its copy of {@code node}. */
        private void add(String what, String member, ObjectNode root, ObjectNode node,
                java.util.function.Consumer<ObjectNode> change) {
            // change the node in place, snapshot the whole request, then undo by restoring the node's fields
            ObjectNode saved = node.deepCopy();
            change.accept(node);
            String body = root.toString();
            node.removeAll();
            node.setAll(saved);
            cases.add(new Case(operation + ": " + what, operation, body, member));
        }
    }

    /** The model files the backend ships, read here with another parser (botocore's format). */
    private record Model(JsonNode operations, ObjectNode shapes) {
        static Model load() {
            try {
                JsonNode base = read("kinesis-2013-12-02.json");
                JsonNode added = read("kinesis-2013-12-02-additions.json");
                ObjectNode operations = ((ObjectNode) base.get("operations")).deepCopy();
                operations.setAll((ObjectNode) added.get("operations"));
                ObjectNode shapes = ((ObjectNode) base.get("shapes")).deepCopy();
                for (Iterator<Map.Entry<String, JsonNode>> it = added.get("shapes").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode old = shapes.get(e.getKey());
                    if (old != null && "structure".equals(old.path("type").asText())
                            && "structure".equals(e.getValue().path("type").asText())) {
                        ObjectNode merged = old.deepCopy();
                        ((ObjectNode) merged.get("members")).setAll((ObjectNode) e.getValue().get("members"));
                        if (e.getValue().has("required")) {
                            merged.set("required", e.getValue().get("required"));
                        }
                        shapes.set(e.getKey(), merged);
                    } else {
                        shapes.set(e.getKey(), e.getValue());
                    }
                }
                return new Model(operations, shapes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static JsonNode read(String name) throws IOException {
            try (InputStream in = KinesisBackend.class.getResourceAsStream("api/" + name)) {
                return JSON.readTree(in);
            }
        }

        JsonNode input(String operation) {
            JsonNode op = operations.get(operation);
            return op == null ? null : shape(op.path("input").path("shape").asText());
        }

        JsonNode shape(String name) {
            return shapes.get(name);
        }
    }

    private static KinesisClient sdk(Protocol protocol, ExecutionInterceptor interceptor) {
        String previous = System.getProperty("aws.cborEnabled");
        System.setProperty("aws.cborEnabled", Boolean.toString(protocol == Protocol.CBOR));
        try {
            return KinesisClient.builder().endpointOverride(URI.create(backend.endpoint().toString()))
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "S")))
                    .httpClient(UrlConnectionHttpClient.create())
                    .overrideConfiguration(c -> {
                        c.retryPolicy(RetryPolicy.none());
                        if (interceptor != null) {
                            c.addExecutionInterceptor(interceptor);
                        }
                    })
                    .build();
        } finally {
            if (previous == null) {
                System.clearProperty("aws.cborEnabled");
            } else {
                System.setProperty("aws.cborEnabled", previous);
            }
        }
    }
}
