package io.runnel.wire.model;

import java.util.List;

/**
 * The response of Kinesis PutRecords.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record PutRecordsResponse(
        Integer failedRecordCount,
        @Required List<PutRecordsResultEntry> records,
        String encryptionType) {
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param failedRecordCount {@code FailedRecordCount}
     * @param records           {@code Records} (required, copied)
     * @param encryptionType    {@code EncryptionType}
     */
    public PutRecordsResponse {
        records = records == null ? null : List.copyOf(records);
    }
}
