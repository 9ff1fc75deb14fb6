package io.runnel.producer.errors;

import io.runnel.producer.UserRecordResult;

/** The record was not put within RecordTtl; its last attempt has code {@code Expired}. */
public final class RecordExpiredException extends UserRecordFailedException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for a record's future, without a cause.
     *
     * @param message why it expired, with the last error
     * @param result  the record's outcome, with every attempt
     * @throws NullPointerException when {@code result} is null
     */
    public RecordExpiredException(String message, UserRecordResult result) {
        super(message, result);
    }

    /**
     * With the error that made the record fail (see {@link UserRecordFailedException#getCause()}).
     *
     * @param message why it expired, with the last error
     * @param result  the record's outcome, with every attempt
     * @param cause   what the service or the transport said last, or null
     * @throws NullPointerException when {@code result} is null
     */
    public RecordExpiredException(String message, UserRecordResult result, Throwable cause) {
        super(message, result, cause);
    }

    /**
     * With the record that failed (ReturnUserRecordOnFailure), see {@link UserRecordFailedException#userRecord()}.
     *
     * @param message    why it expired, with the last error
     * @param result     the record's outcome, with every attempt
     * @param cause      what the service or the transport said last, or null
     * @param userRecord the record that failed, or null
     * @throws NullPointerException when {@code result} is null
     */
    public RecordExpiredException(String message, UserRecordResult result, Throwable cause,
            io.runnel.producer.UserRecord userRecord) {
        super(message, result, cause, userRecord);
    }
}
