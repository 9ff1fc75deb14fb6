package io.runnel.wire.model;

import java.util.List;

/**
 * One {@code SubscribeToShardEvent} of a SubscribeToShard event stream.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 *
 * @param records                    the records, oldest first; may be empty
 * @param continuationSequenceNumber where a new subscription continues (with AFTER_SEQUENCE_NUMBER); null in the
 *                                   last event of a closed shard, which carries {@code childShards} instead
 * @param millisBehindLatest         how far the last record is from the shard's tip, in milliseconds
 * @param childShards                the shard's children once it is closed and read to its end, else null
 */
public record SubscribeToShardEvent(
        @Required List<StreamRecord> records,
        String continuationSequenceNumber,
        @Required Long millisBehindLatest,
        List<ChildShard> childShards) {
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param records                    {@code Records} (required, copied)
     * @param continuationSequenceNumber {@code ContinuationSequenceNumber}
     * @param millisBehindLatest         {@code MillisBehindLatest} (required)
     * @param childShards                {@code ChildShards} (copied)
     */
    public SubscribeToShardEvent {
        records = records == null ? null : List.copyOf(records);
        childShards = childShards == null ? null : List.copyOf(childShards);
    }
}
