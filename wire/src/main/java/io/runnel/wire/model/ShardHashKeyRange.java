package io.runnel.wire.model;

/**
 * A shard's hash key range, decimal strings (the API's HashKeyRange).
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record ShardHashKeyRange(
        @Required String startingHashKey,
        @Required String endingHashKey) {
}
