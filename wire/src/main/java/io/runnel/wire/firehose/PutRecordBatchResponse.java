package io.runnel.wire.firehose;

import java.util.List;

/**
 * PutRecordBatch's answer.
 *
 * @param failedPutCount   how many records failed (their entries carry an error code)
 * @param encrypted        whether server-side encryption was on
 * @param requestResponses one entry per record sent, in the request's order
 */
public record PutRecordBatchResponse(int failedPutCount, boolean encrypted,
        List<PutRecordBatchResponseEntry> requestResponses) {
    /**
     * Copies the entries.
     *
     * @param failedPutCount   how many records failed
     * @param encrypted        whether server-side encryption was on
     * @param requestResponses one entry per record sent
     * @throws NullPointerException when {@code requestResponses} is or holds null
     */
    public PutRecordBatchResponse {
        requestResponses = List.copyOf(requestResponses);
    }
}
