package io.runnel.wire.error;

/**
 * Root of every error raised by the wire layer: errors the Kinesis service returned
 * ({@code KinesisServiceException} and its subclasses) and failures to reach it ({@link KinesisTransportException}).
 *
 * <p>Retry decisions use {@link #isRetryable()} or the exception type, never the message text.
 */
public abstract class KinesisException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected KinesisException(String message) {
        super(message);
    }

    protected KinesisException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Whether sending the same request again may succeed. */
    public abstract boolean isRetryable();
}
