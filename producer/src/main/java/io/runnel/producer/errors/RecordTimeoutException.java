package io.runnel.producer.errors;

import io.runnel.producer.UserRecordResult;

/**
 * The record's future waited longer than UserRecordTimeoutInMillis. Unlike {@link RecordExpiredException}, the record
 * may still be put (and read by consumers): if it was in a request, or in one being built, it still goes out; it is
 * not tried again after that, and its outcome is no longer reported. Its attempts so far are in {@link #result()}.
 */
public final class RecordTimeoutException extends UserRecordFailedException {
    private static final long serialVersionUID = 1L;

    public RecordTimeoutException(String message, UserRecordResult result, Throwable cause,
            io.runnel.producer.UserRecord userRecord) {
        super(message, result, cause, userRecord);
    }
}
