package io.runnel.wire.error;

/**
 * Root of every error raised by the wire layer: errors the Kinesis service returned
 * ({@code KinesisServiceException} and its subclasses) and failures to reach it ({@link KinesisTransportException}).
 *
 * <p>Retry decisions use {@link #isRetryable()} or the exception type, never the message text.
 */
public abstract class KinesisException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An error without a cause.
     *
     * @param message what went wrong
     */
    protected KinesisException(String message) {
        super(message);
    }

    /**
     * An error caused by another exception.
     *
     * @param message what went wrong
     * @param cause   the underlying exception, or null
     */
    protected KinesisException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @return whether sending the same request again may succeed */
    public abstract boolean isRetryable();
}
