package io.runnel.wire.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricDataRequest;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * Reads an AWS Query-protocol form body into the AWS SDK v2's own CloudWatch model, walking the model's field
 * metadata (location names, list members, nested structures) the way the Query protocol lays them out. Every
 * parameter must land in a model field: what does not is reported, so a misspelt name fails the test.
 */
public final class QueryForms {
    private QueryForms() {
    }

    /** The decoded parameters of a form body, in order (names are unique in Query requests). */
    public static Map<String, String> parse(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (out.put(name, value) != null) {
                throw new AssertionError("parameter " + name + " appears twice");
            }
        }
        return out;
    }

    /** The request of a PutMetricData body; throws naming any parameter the SDK's model has no place for. */
    public static PutMetricDataRequest putMetricData(String body) {
        Map<String, String> params = parse(body);
        if (!"PutMetricData".equals(params.get("Action")) || !"2010-08-01".equals(params.get("Version"))) {
            throw new AssertionError("not a PutMetricData 2010-08-01 request: Action=" + params.get("Action")
                    + " Version=" + params.get("Version"));
        }
        Set<String> used = new TreeSet<>(List.of("Action", "Version"));
        PutMetricDataRequest.Builder b = PutMetricDataRequest.builder();
        fill((SdkPojo) b, "", params, used);
        Set<String> unused = new TreeSet<>(params.keySet());
        unused.removeAll(used);
        if (!unused.isEmpty()) {
            throw new AssertionError("parameters the SDK's PutMetricData model does not have: " + unused);
        }
        return b.build();
    }

    private static void fill(SdkPojo builder, String prefix, Map<String, String> params, Set<String> used) {
        for (SdkField<?> f : builder.sdkFields()) {
            Object v = read(f, prefix + f.locationName(), params, used);
            if (v != null) {
                f.set(builder, v);
            }
        }
    }

    private static Object read(SdkField<?> f, String name, Map<String, String> params, Set<String> used) {
        MarshallingType<?> type = f.marshallingType();
        if (type == MarshallingType.LIST) {
            ListTrait list = f.getRequiredTrait(ListTrait.class);
            String memberName = list.memberLocationName() == null ? "member" : list.memberLocationName();
            String member = list.isFlattened() ? name : name + "." + memberName;
            List<Object> items = new ArrayList<>();
            for (int i = 1; ; i++) {
                Object item = read(list.memberFieldInfo(), member + "." + i, params, used);
                if (item == null) {
                    break;
                }
                items.add(item);
            }
            return items.isEmpty() ? null : items;
        }
        if (type == MarshallingType.SDK_POJO) {
            String p = name + ".";
            if (params.keySet().stream().noneMatch(k -> k.startsWith(p))) {
                return null;
            }
            SdkPojo nested = f.constructor().get();
            fill(nested, p, params, used);
            return ((SdkBuilder<?, ?>) nested).build();
        }
        String raw = params.get(name);
        if (raw == null) {
            return null;
        }
        used.add(name);
        if (type == MarshallingType.STRING) {
            return raw;
        }
        if (type == MarshallingType.DOUBLE) {
            return Double.valueOf(raw);
        }
        if (type == MarshallingType.INTEGER) {
            return Integer.valueOf(raw);
        }
        if (type == MarshallingType.BOOLEAN) {
            return Boolean.valueOf(raw);
        }
        if (type == MarshallingType.INSTANT) {
            return Instant.parse(raw);
        }
        throw new AssertionError("parameter " + name + " has a type the test does not read: " + type);
    }
}
