package io.runnel.producer.errors;

import io.runnel.producer.UserRecord;
import io.runnel.producer.UserRecordResult;
import java.util.Objects;

/**
 * A user record was not put; its future completes with this. {@link #result()} has every attempt. Cheap to create
 * (no stack trace): failures are data on the producer's hot path.
 */
public class UserRecordFailedException extends ProducerException {
    private static final long serialVersionUID = 1L;

    private final transient UserRecordResult result;
    private final transient UserRecord userRecord;

    /**
     * An exception for a record's future, without a cause.
     *
     * @param message why the record failed
     * @param result  the record's outcome, with every attempt
     * @throws NullPointerException when {@code result} is null
     */
    public UserRecordFailedException(String message, UserRecordResult result) {
        this(message, result, null);
    }

    /**
     * An exception for a record's future, with the error that made it fail.
     *
     * @param message why the record failed
     * @param result  the record's outcome, with every attempt
     * @param cause what the service or the transport said last (a {@code KinesisServiceException} with its code and
     *              message, a transport or credentials error), or null
     * @throws NullPointerException when {@code result} is null
     */
    public UserRecordFailedException(String message, UserRecordResult result, Throwable cause) {
        this(message, result, cause, null);
    }

    /**
     * An exception for a record's future, with the error that made it fail and the record.
     *
     * @param message    why the record failed
     * @param result     the record's outcome, with every attempt
     * @param cause      what the service or the transport said last, or null
     * @param userRecord the record that failed, when ReturnUserRecordOnFailure asks for it (else null)
     * @throws NullPointerException when {@code result} is null
     */
    public UserRecordFailedException(String message, UserRecordResult result, Throwable cause,
            UserRecord userRecord) {
        super(message, cause);
        this.result = Objects.requireNonNull(result, "result");
        this.userRecord = userRecord;
    }

    /**
     * {@return the user record that failed (its stream, keys and data), with {@code ReturnUserRecordOnFailure=true};
     * null otherwise} (The producer then holds no reference to a failed record's data.)
     */
    public UserRecord userRecord() {
        return userRecord;
    }

    /** {@return the record's outcome, with every attempt} */
    public UserRecordResult result() {
        return result;
    }

    /** {@return this exception, left without a stack trace: failures are data on the producer's hot path} */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
