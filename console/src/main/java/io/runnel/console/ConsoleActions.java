package io.runnel.console;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.runnel.backend.store.ShardState;
import io.runnel.backend.store.StoreException;
import io.runnel.backend.store.StreamState;
import io.runnel.backend.store.StreamStore;
import io.runnel.wire.HashKeyRange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a developer would otherwise reach for the aws CLI for, from the console: create and delete a stream, split,
 * merge and change the shard count, put a test record. Each takes a small JSON object and answers with one; the
 * store checks everything Kinesis checks (limits, states, ranges) and its errors come back with their messages.
 * Thread-safe.
 */
final class ConsoleActions {
    private static final Pattern STREAM_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");
    private final StreamStore store;
    private final JsonFactory json = new JsonFactory();

    ConsoleActions(StreamStore store) {
        this.store = store;
    }

    /** {@code {"name", "shards"?, "mode"?}}: a new stream (PROVISIONED with {@code shards}, or ON_DEMAND). */
    String createStream(byte[] body) {
        Map<String, Object> in = read(body);
        String name = string(in, "name", true);
        if (!STREAM_NAME.matcher(name).matches()) {
            throw new ConsoleApi.ApiException(400, "name: 1 to 128 characters of a-z, A-Z, 0-9, _ . and -, was "
                    + name);
        }
        String mode = in.containsKey("mode") ? string(in, "mode", true) : "PROVISIONED";
        StreamState.Mode m;
        try {
            m = StreamState.Mode.valueOf(mode);
        } catch (IllegalArgumentException e) {
            throw new ConsoleApi.ApiException(400, "mode: PROVISIONED or ON_DEMAND, was " + mode);
        }
        Integer shards = m == StreamState.Mode.ON_DEMAND ? null : integer(in, "shards", 1);
        store(() -> store.createStream(name, shards, m));
        return "created stream " + name;
    }

    /** Deletes the stream {@code name} (refused while it has registered consumers). */
    String deleteStream(String name) {
        store(() -> store.deleteStream(name, null, false));
        return "deleting stream " + name;
    }

    /** {@code {"shardId", "newStartingHashKey"?}}: splits a shard, by default in the middle of its range. */
    String split(String stream, byte[] body) {
        Map<String, Object> in = read(body);
        String shardId = string(in, "shardId", true);
        String at = string(in, "newStartingHashKey", false);
        if (at == null) {
            ShardState shard = ConsoleApi.find(store, stream).shard(shardId);
            if (shard == null) {
                throw new ConsoleApi.ApiException(404, "stream " + stream + " has no shard " + shardId);
            }
            // the second of two halves, as UpdateShardCount would cut it
            try {
                at = HashKeyRange.split(shard.hashKeyRange(), 2).get(1).startInclusive().toDecimalString();
            } catch (IllegalArgumentException oneHashKey) {
                throw new ConsoleApi.ApiException(400, shardId + " holds a single hash key: it cannot be split");
            }
        }
        String newStart = at;
        store(() -> store.splitShard(stream, null, shardId, newStart));
        return "splitting " + shardId + " at " + newStart;
    }

    /** {@code {"shardId", "adjacentShardId"}}: merges two adjacent open shards. */
    String merge(String stream, byte[] body) {
        Map<String, Object> in = read(body);
        String a = string(in, "shardId", true);
        String b = string(in, "adjacentShardId", true);
        store(() -> store.mergeShards(stream, null, a, b));
        return "merging " + a + " and " + b;
    }

    /** {@code {"target"}}: UpdateShardCount with uniform scaling. */
    String updateShardCount(String stream, byte[] body) {
        int target = integer(read(body), "target", null);
        store(() -> store.updateShardCount(stream, null, target));
        return "updating " + stream + " to " + target + " shards";
    }

    /** {@code {"partitionKey", "explicitHashKey"?, "data"}}: puts one record (data as UTF-8 text). */
    String putRecord(String stream, byte[] body) {
        Map<String, Object> in = read(body);
        String key = string(in, "partitionKey", true);
        String explicit = string(in, "explicitHashKey", false);
        byte[] data = string(in, "data", true).getBytes(StandardCharsets.UTF_8);
        StreamStore.PutOutcome out = store(() -> {
            StreamState s = store.streamForWrite(stream, null);
            return store.put(s, store.hashKeyOf(s, key, explicit, data), key, data);
        });
        if (out.throttled()) {
            throw new ConsoleApi.ApiException(429, "the shard's write limit refused it (ProvisionedThroughputExceeded):"
                    + " try again in a second");
        }
        return "put on " + out.shard().shardId() + " as " + out.sequenceNumber();
    }

    private interface StoreCall<T> {
        T call();
    }

    private static <T> T store(StoreCall<T> call) {
        try {
            return call.call();
        } catch (StoreException e) {
            throw new ConsoleApi.ApiException(StoreException.RESOURCE_NOT_FOUND.equals(e.errorCode()) ? 404 : 400,
                    e.errorCode() + ": " + e.getMessage());
        }
    }

    private static void store(Runnable call) {
        store(() -> {
            call.run();
            return null;
        });
    }

    /** A flat JSON object of strings and numbers. */
    private Map<String, Object> read(byte[] body) {
        Map<String, Object> out = new HashMap<>();
        try (JsonParser p = json.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ConsoleApi.ApiException(400, "the body must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (t) {
                    case VALUE_STRING -> out.put(field, p.getText());
                    case VALUE_NUMBER_INT -> out.put(field, p.getLongValue());
                    case VALUE_NULL -> { }
                    default -> throw new ConsoleApi.ApiException(400, field + ": a string or a whole number");
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConsoleApi.ApiException(400, "the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    private static String string(Map<String, Object> in, String field, boolean required) {
        Object v = in.get(field);
        if (v == null || v.toString().isEmpty()) {
            if (required) {
                throw new ConsoleApi.ApiException(400, field + ": missing");
            }
            return null;
        }
        return v.toString();
    }

    private static int integer(Map<String, Object> in, String field, Integer byDefault) {
        Object v = in.get(field);
        if (v == null && byDefault != null) {
            return byDefault;
        }
        if (v instanceof Long n && n >= 1 && n <= Integer.MAX_VALUE) {
            return (int) (long) n;
        }
        if (v instanceof String s && s.matches("[0-9]{1,9}") && Integer.parseInt(s) >= 1) {
            return Integer.parseInt(s);
        }
        throw new ConsoleApi.ApiException(400, field + ": a whole number of at least 1, was " + v);
    }
}
