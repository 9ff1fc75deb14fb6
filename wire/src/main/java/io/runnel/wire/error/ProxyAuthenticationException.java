package io.runnel.wire.error;

/**
 * The HTTP proxy answered a {@code CONNECT} with {@code 407 Proxy Authentication Required}: it wants credentials and
 * none were configured, or it refused the ones sent. Not retryable: sending again cannot succeed until the proxy
 * settings change. The message names the proxy, the destination and which of the two cases it is.
 */
public final class ProxyAuthenticationException extends KinesisException {
    private static final long serialVersionUID = 1L;

    /** The proxy, {@code host:port}. */
    private final String proxy;
    /** Whether credentials were sent and refused. */
    private final boolean credentialsSent;

    /**
     * A 407 answer to a {@code CONNECT}.
     *
     * @param proxy           the proxy, {@code host:port}
     * @param destination     the tunnel's destination, {@code host:port}
     * @param credentialsSent whether Basic credentials were sent (and refused)
     * @param cause           the proxy handler's exception, or null
     */
    public ProxyAuthenticationException(String proxy, String destination, boolean credentialsSent, Throwable cause) {
        super("proxy " + proxy + " answered 407 Proxy Authentication Required to CONNECT " + destination + ": "
                + (credentialsSent ? "it refused the configured proxy user name and password"
                        : "it requires credentials and no proxy user name and password are configured"), cause);
        this.proxy = proxy;
        this.credentialsSent = credentialsSent;
    }

    /** @return the proxy, {@code host:port} */
    public String proxy() {
        return proxy;
    }

    /** @return whether credentials were sent and refused (false: none were configured) */
    public boolean credentialsSent() {
        return credentialsSent;
    }

    @Override
    public boolean isRetryable() {
        return false;
    }
}
