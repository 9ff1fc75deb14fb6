package io.runnel.producer.errors;

import io.runnel.producer.UserRecordResult;

/**
 * The record's future waited longer than UserRecordTimeoutInMillis. Unlike {@link RecordExpiredException}, the record
 * may still be put (and read by consumers): if it was in a request, or in one being built, it still goes out; it is
 * not tried again after that, and its outcome is no longer reported. Its attempts so far are in {@link #result()}.
 */
public final class RecordTimeoutException extends UserRecordFailedException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for a record's future.
     *
     * @param message    how long the future waited
     * @param result     the record's attempts so far
     * @param cause      the last error, or null
     * @param userRecord the record, with ReturnUserRecordOnFailure; else null
     * @throws NullPointerException when {@code result} is null
     */
    public RecordTimeoutException(String message, UserRecordResult result, Throwable cause,
            io.runnel.producer.UserRecord userRecord) {
        super(message, result, cause, userRecord);
    }
}
