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
        super(message);
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
