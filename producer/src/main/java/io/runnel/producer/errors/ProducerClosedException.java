package io.runnel.producer.errors;

/** The producer is closed: new records are refused, and shutdownNow fails those still pending with this. */
public final class ProducerClosedException extends ProducerException {
    private static final long serialVersionUID = 1L;

    public ProducerClosedException(String message) {
        super(message);
    }
}
