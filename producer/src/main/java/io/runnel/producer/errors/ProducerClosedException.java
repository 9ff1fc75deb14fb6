package io.runnel.producer.errors;

/** The producer is closed: new records are refused, and shutdownNow fails those still pending with this. */
public final class ProducerClosedException extends ProducerException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception for the caller of addUserRecord, or for a record's future.
     *
     * @param message whether the producer was closed or shut down, and when the record met it
     */
    public ProducerClosedException(String message) {
        super(message);
    }
}
