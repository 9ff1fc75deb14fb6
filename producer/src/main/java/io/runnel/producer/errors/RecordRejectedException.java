package io.runnel.producer.errors;

import io.runnel.producer.UserRecordResult;

/** Kinesis refused the record with an error retrying cannot fix (or throttled it under FailIfThrottled). */
public final class RecordRejectedException extends UserRecordFailedException {
    private static final long serialVersionUID = 1L;

    public RecordRejectedException(String message, UserRecordResult result) {
        super(message, result);
    }

    /** With the error that made the record fail (see {@link UserRecordFailedException#getCause()}). */
    public RecordRejectedException(String message, UserRecordResult result, Throwable cause) {
        super(message, result, cause);
    }

    /** With the record that failed (ReturnUserRecordOnFailure), see {@link UserRecordFailedException#userRecord()}. */
    public RecordRejectedException(String message, UserRecordResult result, Throwable cause, io.runnel.producer.UserRecord userRecord) {
        super(message, result, cause, userRecord);
    }
}
