package io.runnel.wire.model;

import java.util.List;

/**
 * The request of Kinesis PutRecords.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record PutRecordsRequest(
        String streamName,
        String streamARN,
        @Required List<PutRecordsRequestEntry> records) {
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param streamName {@code StreamName}
     * @param streamARN  {@code StreamARN}
     * @param records    {@code Records} (required, copied)
     */
    public PutRecordsRequest {
        records = records == null ? null : List.copyOf(records);
    }
}
