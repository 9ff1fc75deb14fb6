package io.runnel.producer.errors;

import io.runnel.producer.UserRecordResult;

/** The record was not put within RecordTtl; its last attempt has code {@code Expired}. */
public final class RecordExpiredException extends UserRecordFailedException {
    private static final long serialVersionUID = 1L;

    public RecordExpiredException(String message, UserRecordResult result) {
        super(message, result);
    }

    /** With the error that made the record fail (see {@link UserRecordFailedException#getCause()}). */
    public RecordExpiredException(String message, UserRecordResult result, Throwable cause) {
        super(message, result, cause);
    }

    /** With the record that failed (ReturnUserRecordOnFailure), see {@link UserRecordFailedException#userRecord()}. */
    public RecordExpiredException(String message, UserRecordResult result, Throwable cause, io.runnel.producer.UserRecord userRecord) {
        super(message, result, cause, userRecord);
    }
}
