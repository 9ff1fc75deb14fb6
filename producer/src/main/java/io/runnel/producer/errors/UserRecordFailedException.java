package io.runnel.producer.errors;

import io.runnel.producer.UserRecordResult;
import java.util.Objects;

/**
 * A user record was not put; its future completes with this. {@link #result()} has every attempt. Cheap to create
 * (no stack trace): failures are data on the producer's hot path.
 */
public class UserRecordFailedException extends ProducerException {
    private static final long serialVersionUID = 1L;

    private final transient UserRecordResult result;

    public UserRecordFailedException(String message, UserRecordResult result) {
        this(message, result, null);
    }

    /**
     * @param cause what the service or the transport said last (a {@code KinesisServiceException} with its code and
     *              message, a transport or credentials error), or null
     */
    public UserRecordFailedException(String message, UserRecordResult result, Throwable cause) {
        super(message, cause);
        this.result = Objects.requireNonNull(result, "result");
    }

    /** The record's outcome, with every attempt. */
    public UserRecordResult result() {
        return result;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
