package io.runnel.backend.api;

import io.runnel.backend.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a request against the {@link ServiceModel} the way Kinesis does before it looks at any stream: required
 * members present, strings, blobs, lists and maps within their lengths, strings matching their patterns and enums,
 * numbers within their ranges, at any depth. Every violation is reported in one {@code ValidationException} worded
 * like Kinesis' ({@code 2 validation errors detected: Value 'x' at 'streamName' failed to satisfy constraint: ...}).
 * Values of the wrong type are left to the codec, which refuses them as a {@code SerializationException}.
 * Thread-safe.
 */
public final class RequestValidator {
    /** Longest value quoted in a message. */
    private static final int MAX_SHOWN = 256;

    private final ServiceModel model;

    /**
     * A validator of requests against {@code model}.
     *
     * @param model the shapes and constraints of the actions
     */
    public RequestValidator(ServiceModel model) {
        this.model = model;
    }

    /**
     * Checks the request of {@code action} (for example {@code PutRecords}); an action the model does not know passes.
     *
     * @param action  the action's name
     * @param request the request's members, as {@link RequestTree#parse} returns them
     * @throws StoreException a ValidationException listing every violation
     */
    public void validate(String action, Map<String, Object> request) {
        ServiceModel.ShapeDef input = model.input(action);
        if (input == null) {
            return;
        }
        List<String> errors = new ArrayList<>();
        check(input, request, "", errors);
        if (!errors.isEmpty()) {
            throw new StoreException(StoreException.VALIDATION, errors.size() + " validation error"
                    + (errors.size() == 1 ? "" : "s") + " detected: " + String.join("; ", errors));
        }
    }

    private void check(ServiceModel.ShapeDef shape, Object value, String path, List<String> errors) {
        switch (shape.type()) {
            case "structure" -> structure(shape, value, path, errors);
            case "list" -> {
                if (value instanceof List<?> list) {
                    length(shape, list.size(), "[...]", path, errors);
                    if (shape.listMember() != null) {
                        ServiceModel.ShapeDef element = model.shape(shape.listMember());
                        for (int i = 0; i < list.size(); i++) {
                            check(element, list.get(i), path + "." + (i + 1) + ".member", errors);
                        }
                    }
                }
            }
            case "map" -> {
                if (value instanceof Map<?, ?> map) {
                    length(shape, map.size(), "{...}", path, errors);
                    List<String> inner = new ArrayList<>();
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        if (shape.mapKey() != null) {
                            check(model.shape(shape.mapKey()), e.getKey(), path, inner);
                        }
                        if (shape.mapValue() != null && e.getValue() != null) {
                            check(model.shape(shape.mapValue()), e.getValue(), path, inner);
                        }
                    }
                    errors.addAll(inner);
                }
            }
            case "string" -> {
                if (value instanceof String s) {
                    string(shape, s, path, errors);
                }
            }
            case "blob" -> {
                long length = value instanceof String base64 ? decodedLength(base64)
                        : value instanceof RequestTree.Blob b ? b.length() : -1;
                if (length >= 0) {
                    length(shape, length, "java.nio.HeapByteBuffer[pos=0 lim=" + length + "]", path, errors);
                }
            }
            case "integer", "long" -> {
                if (value instanceof Number n && !(n instanceof Double) && !(n instanceof Float)) {
                    long v = n.longValue();
                    if (shape.min() != null && v < shape.min()) {
                        errors.add(violation("'" + v + "'", path, "Member must have value greater than or equal to "
                                + shape.min()));
                    }
                    if (shape.max() != null && v > shape.max()) {
                        errors.add(violation("'" + v + "'", path, "Member must have value less than or equal to "
                                + shape.max()));
                    }
                }
            }
            default -> {
                // booleans, timestamps, doubles: nothing to bound
            }
        }
    }

    private void structure(ServiceModel.ShapeDef shape, Object value, String path, List<String> errors) {
        if (!(value instanceof Map<?, ?> map)) {
            return;
        }
        String prefix = path.isEmpty() ? "" : path + ".";
        for (Map.Entry<String, String> m : shape.members().entrySet()) {
            Object v = map.get(m.getKey());
            String memberPath = prefix + lowerFirst(m.getKey());
            if (v == null) {
                if (shape.required().contains(m.getKey())) {
                    errors.add(violation("null", memberPath, "Member must not be null"));
                }
                continue;
            }
            check(model.shape(m.getValue()), v, memberPath, errors);
        }
    }

    private void string(ServiceModel.ShapeDef shape, String s, String path, List<String> errors) {
        String shown = "'" + (s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN) + "..." : s) + "'";
        length(shape, s.codePointCount(0, s.length()), shown, path, errors);
        if (shape.pattern() != null && !shape.pattern().matcher(s).matches()) {
            errors.add(violation(shown, path, "Member must satisfy regular expression pattern: "
                    + shape.pattern().pattern()));
        }
        if (shape.enumValues() != null && !shape.enumValues().contains(s)) {
            errors.add(violation(shown, path, "Member must satisfy enum value set: " + shape.enumValues()));
        }
    }

    private static void length(ServiceModel.ShapeDef shape, long length, String shown, String path,
            List<String> errors) {
        if (shape.min() != null && length < shape.min()) {
            errors.add(violation(shown, path, "Member must have length greater than or equal to " + shape.min()));
        }
        if (shape.max() != null && length > shape.max()) {
            errors.add(violation(shown, path, "Member must have length less than or equal to " + shape.max()));
        }
    }

    private static String violation(String shown, String path, String constraint) {
        return "Value " + shown + " at '" + path + "' failed to satisfy constraint: " + constraint;
    }

    private static String lowerFirst(String member) {
        return Character.toLowerCase(member.charAt(0)) + member.substring(1);
    }

    /** The length of base64 text once decoded; its validity is the codec's. */
    private static long decodedLength(String base64) {
        int n = base64.length();
        int padding = n > 0 && base64.charAt(n - 1) == '=' ? (n > 1 && base64.charAt(n - 2) == '=' ? 2 : 1) : 0;
        return (long) n * 3 / 4 - padding;
    }
}
