package io.runnel.wire.error;

/**
 * The request did not get a well-formed answer from the endpoint: the connection could not be opened, was reset or
 * closed, a timeout elapsed, or the response could not be parsed. Always retryable — but a request that timed out
 * may have succeeded at the service, so a retry can duplicate records.
 */
public class KinesisTransportException extends KinesisException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, for metrics and logs; never used for control flow beyond what the type already says. */
    public enum Kind {
        CONNECT_FAILED,
        CONNECT_TIMEOUT,
        CONNECTION_CLOSED,
        REQUEST_TIMEOUT,
        TLS_FAILED,
        /** The HTTP proxy could not be reached, refused the tunnel (other than 407), or did not answer in time. */
        PROXY_FAILED,
        MALFORMED_RESPONSE,
        /** Too many requests already wait for a connection; nothing was sent. */
        POOL_EXHAUSTED,
        CLIENT_CLOSED
    }

    private final Kind kind;

    public KinesisTransportException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public KinesisTransportException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** The kind of transport failure. */
    public Kind kind() {
        return kind;
    }

    @Override
    public boolean isRetryable() {
        return kind != Kind.CLIENT_CLOSED;
    }
}
