package io.runnel.wire.model;

import java.util.List;

/**
 * The response of Kinesis ListShards.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record ListShardsResponse(
        List<Shard> shards,
        String nextToken) {
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param shards    {@code Shards} (copied)
     * @param nextToken {@code NextToken}
     */
    public ListShardsResponse {
        shards = shards == null ? null : List.copyOf(shards);
    }
}
