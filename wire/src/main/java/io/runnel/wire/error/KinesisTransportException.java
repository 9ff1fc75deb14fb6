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
        /** The TCP connection could not be opened (refused, unreachable, unknown host). */
        CONNECT_FAILED,
        /** Opening the connection, or waiting for a free one, took longer than the connect timeout. */
        CONNECT_TIMEOUT,
        /** The connection was reset or closed before the whole response arrived. */
        CONNECTION_CLOSED,
        /** The response did not arrive within the request timeout; the service may still have acted on it. */
        REQUEST_TIMEOUT,
        /** The TLS handshake failed (e.g. a certificate that is not trusted). */
        TLS_FAILED,
        /** The HTTP proxy could not be reached, refused the tunnel (other than 407), or did not answer in time. */
        PROXY_FAILED,
        /** The response could not be parsed, was too large, or lacked a required field. */
        MALFORMED_RESPONSE,
        /** Too many requests already wait for a connection; nothing was sent. */
        POOL_EXHAUSTED,
        /** The client was closed before the request completed; the only kind that is not retryable. */
        CLIENT_CLOSED
    }

    /** What went wrong. */
    private final Kind kind;

    /**
     * A failure without an underlying exception.
     *
     * @param kind    what went wrong
     * @param message what happened, naming the endpoint where useful
     */
    public KinesisTransportException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    /**
     * A failure caused by another exception.
     *
     * @param kind    what went wrong
     * @param message what happened, naming the endpoint where useful
     * @param cause   the underlying exception (Netty's, the JDK's, the parser's)
     */
    public KinesisTransportException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** @return the kind of transport failure */
    public Kind kind() {
        return kind;
    }

    @Override
    public boolean isRetryable() {
        return kind != Kind.CLIENT_CLOSED;
    }
}
