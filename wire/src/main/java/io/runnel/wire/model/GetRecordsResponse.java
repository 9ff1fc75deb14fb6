package io.runnel.wire.model;

import java.util.List;

/**
 * The response of Kinesis GetRecords.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record GetRecordsResponse(
        @Required List<StreamRecord> records,
        String nextShardIterator,
        Long millisBehindLatest,
        List<ChildShard> childShards) {
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param records            {@code Records} (required, copied)
     * @param nextShardIterator  {@code NextShardIterator}
     * @param millisBehindLatest {@code MillisBehindLatest}
     * @param childShards        {@code ChildShards} (copied)
     */
    public GetRecordsResponse {
        records = records == null ? null : List.copyOf(records);
        childShards = childShards == null ? null : List.copyOf(childShards);
    }
}
