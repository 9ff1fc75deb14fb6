package io.runnel.producer.errors;

/** addUserRecord was given a record Kinesis would refuse; the message names the field and value. */
public final class InvalidUserRecordException extends ProducerException {
    private static final long serialVersionUID = 1L;

    public InvalidUserRecordException(String message) {
        super(message);
    }

    public InvalidUserRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
