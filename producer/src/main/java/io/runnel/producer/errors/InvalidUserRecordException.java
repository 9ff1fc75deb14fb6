package io.runnel.producer.errors;

/** addUserRecord was given a record Kinesis would refuse; the message names the field and value. */
public final class InvalidUserRecordException extends ProducerException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for the caller of addUserRecord, or for a record's future (a keyless record for a stream that
     * needs partition keys, a record larger than its stream allows).
     *
     * @param message the field, its value or size, and the rule it breaks
     */
    public InvalidUserRecordException(String message) {
        super(message);
    }

    /**
     * An exception with the check that found the problem.
     *
     * @param message the field, its value or size, and the rule it breaks
     * @param cause   the underlying check's exception
     */
    public InvalidUserRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
