package io.runnel.backend.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Kinesis service model the backend checks requests against: each action's input shape and, per shape, its type,
 * length or value bounds, pattern, enum values, members and required members. Read once from the model files in this
 * package ({@code kinesis-2013-12-02.json}, the public botocore model without its documentation, and
 * {@code kinesis-2013-12-02-additions.json}, what newer SDKs send beyond it); each file says where it comes from.
 * Immutable, thread-safe.
 */
public final class ServiceModel {
    private static final String BASE = "kinesis-2013-12-02.json";
    private static final String ADDITIONS = "kinesis-2013-12-02-additions.json";

    /** One shape: what a value of it may be. Bounds are lengths for strings, blobs, lists and maps. */
    public record ShapeDef(String name, String type, Long min, Long max, Pattern pattern, List<String> enumValues,
            Map<String, String> members, Set<String> required, String listMember, String mapKey,
            String mapValue) {
    }

    private final Map<String, String> inputByAction;
    private final Map<String, ShapeDef> shapes;

    private ServiceModel(Map<String, String> inputByAction, Map<String, ShapeDef> shapes) {
        this.inputByAction = inputByAction;
        this.shapes = shapes;
    }

    /** {@return the Kinesis model in this package's resources, with the backend's additions} */
    public static ServiceModel kinesis() {
        Map<String, Object> base = load(BASE);
        Map<String, Object> additions = load(ADDITIONS);
        Map<String, Object> operations = new LinkedHashMap<>(map(base.get("operations")));
        operations.putAll(map(additions.get("operations")));
        Map<String, Object> rawShapes = new LinkedHashMap<>(map(base.get("shapes")));
        map(additions.get("shapes")).forEach((name, added) -> rawShapes.merge(name, added, ServiceModel::mergeShape));

        Map<String, String> inputs = new LinkedHashMap<>();
        operations.forEach((action, op) -> {
            Object input = map(op).get("input");
            if (input != null) {
                inputs.put(action, (String) map(input).get("shape"));
            }
        });
        Map<String, ShapeDef> shapes = new LinkedHashMap<>();
        rawShapes.forEach((name, raw) -> shapes.put(name, shape(name, map(raw))));
        return new ServiceModel(Map.copyOf(inputs), Map.copyOf(shapes));
    }

    /**
     * The input shape of an action.
     *
     * @param action an action such as {@code PutRecords}
     * @return its input shape, or null when the model has no such action
     */
    public ShapeDef input(String action) {
        String name = inputByAction.get(action);
        return name == null ? null : shape(name);
    }

    /** {@return the actions the model knows} */
    public Set<String> actions() {
        return inputByAction.keySet();
    }

    /**
     * A shape by name.
     *
     * @param name the shape's name in the model
     * @return the shape
     * @throws IllegalStateException when the model has no shape by that name
     */
    public ShapeDef shape(String name) {
        ShapeDef s = shapes.get(name);
        if (s == null) {
            throw new IllegalStateException("the Kinesis model has no shape " + name);
        }
        return s;
    }

    private static Object mergeShape(Object base, Object added) {
        Map<String, Object> b = map(base);
        Map<String, Object> a = map(added);
        if (!"structure".equals(b.get("type")) || !"structure".equals(a.get("type"))) {
            return added;
        }
        Map<String, Object> merged = new LinkedHashMap<>(b);
        Map<String, Object> members = new LinkedHashMap<>(map(b.get("members")));
        members.putAll(map(a.get("members")));
        merged.put("members", members);
        if (a.containsKey("required")) {
            merged.put("required", a.get("required"));
        }
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static ShapeDef shape(String name, Map<String, Object> raw) {
        Map<String, String> members = new LinkedHashMap<>();
        map(raw.get("members")).forEach((member, ref) -> members.put(member, (String) map(ref).get("shape")));
        Set<String> required = new LinkedHashSet<>();
        if (raw.get("required") instanceof List<?> list) {
            list.forEach(r -> required.add((String) r));
        }
        String pattern = (String) raw.get("pattern");
        List<String> enumValues = raw.get("enum") instanceof List<?> list ? List.copyOf((List<String>) list) : null;
        return new ShapeDef(name, (String) raw.get("type"), number(raw.get("min")), number(raw.get("max")),
                pattern == null ? null : Pattern.compile(pattern), enumValues,
                Collections.unmodifiableMap(members), Collections.unmodifiableSet(required), ref(raw.get("member")),
                ref(raw.get("key")), ref(raw.get("value")));
    }

    private static String ref(Object o) {
        return o == null ? null : (String) map(o).get("shape");
    }

    private static Long number(Object o) {
        return o == null ? null : ((Number) o).longValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    private static Map<String, Object> load(String resource) {
        try (InputStream in = ServiceModel.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            try (JsonParser p = new JsonFactory().createParser(in)) {
                p.nextToken();
                return map(RequestTree.read(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
