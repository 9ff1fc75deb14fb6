package io.runnel.producer.errors;

/** Root of every error the producer raises. Unchecked. */
public class ProducerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProducerException(String message) {
        super(message);
    }

    public ProducerException(String message, Throwable cause) {
        super(message, cause);
    }
}
