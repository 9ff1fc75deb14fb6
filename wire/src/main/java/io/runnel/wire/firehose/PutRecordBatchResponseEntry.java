package io.runnel.wire.firehose;

/**
 * The outcome of one record of a PutRecordBatch: a record id, or an error code and message.
 *
 * @param recordId     the id Firehose gave the record; null when it failed
 * @param errorCode    e.g. {@code ServiceUnavailableException} or {@code InternalFailure}; null when it succeeded
 * @param errorMessage the error's message; null when it succeeded
 */
public record PutRecordBatchResponseEntry(String recordId, String errorCode, String errorMessage) {
    /** @return whether Firehose took the record (no error code) */
    public boolean successful() {
        return errorCode == null;
    }
}
