package io.runnel.producer.errors;

/** Root of every error the producer raises. Unchecked. */
public class ProducerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception without a cause.
     *
     * @param message what went wrong
     */
    public ProducerException(String message) {
        super(message);
    }

    /**
     * An exception with its cause.
     *
     * @param message what went wrong
     * @param cause   the error behind it
     */
    public ProducerException(String message, Throwable cause) {
        super(message, cause);
    }
}
