package io.runnel.producer.errors;

import io.runnel.producer.UserRecordResult;

/** Kinesis refused the record with an error retrying cannot fix (or throttled it under FailIfThrottled). */
public final class RecordRejectedException extends UserRecordFailedException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for a record's future, without a cause.
     *
     * @param message the error code and the service's message
     * @param result  the record's outcome, with every attempt
     * @throws NullPointerException when {@code result} is null
     */
    public RecordRejectedException(String message, UserRecordResult result) {
        super(message, result);
    }

    /**
     * With the error that made the record fail (see {@link UserRecordFailedException#getCause()}).
     *
     * @param message the error code and the service's message
     * @param result  the record's outcome, with every attempt
     * @param cause   what the service or the transport said last, or null
     * @throws NullPointerException when {@code result} is null
     */
    public RecordRejectedException(String message, UserRecordResult result, Throwable cause) {
        super(message, result, cause);
    }

    /**
     * With the record that failed (ReturnUserRecordOnFailure), see {@link UserRecordFailedException#userRecord()}.
     *
     * @param message    the error code and the service's message
     * @param result     the record's outcome, with every attempt
     * @param cause      what the service or the transport said last, or null
     * @param userRecord the record that failed, or null
     * @throws NullPointerException when {@code result} is null
     */
    public RecordRejectedException(String message, UserRecordResult result, Throwable cause,
            io.runnel.producer.UserRecord userRecord) {
        super(message, result, cause, userRecord);
    }
}
