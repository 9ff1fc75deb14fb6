package io.runnel.wire;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where Kinesis requests go and how they are signed: scheme, host, port and the region in the signature.
 * Immutable.
 */
public final class Endpoint {
    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)+");
    /** The service name in SigV4 credential scopes. */
    public static final String SIGNING_SERVICE = "kinesis";

    private final boolean tls;
    private final String host;
    private final int port;
    private final String region;

    private Endpoint(boolean tls, String host, int port, String region) {
        this.tls = tls;
        this.host = host;
        this.port = port;
        this.region = region;
    }

    /**
     * The public Kinesis endpoint of a region: {@code https://kinesis.<region>.amazonaws.com} (or
     * {@code .amazonaws.com.cn} for China regions).
     *
     * @param region the region, like {@code us-east-1}
     * @return the region's TLS endpoint on port 443
     * @throws IllegalArgumentException when the region is not like {@code us-east-1}
     */
    public static Endpoint forRegion(String region) {
        return forRegion(region, false, false);
    }

    /**
     * The public Kinesis endpoint of a region, FIPS and/or dual-stack (IPv4 and IPv6) as asked:
     * {@code kinesis[-fips].<region>.amazonaws.com}, or {@code kinesis[-fips].<region>.api.aws} for dual-stack (in
     * China {@code .amazonaws.com.cn} and {@code .api.amazonwebservices.com.cn}).
     *
     * @param region    the region, like {@code us-east-1}
     * @param fips      whether to use the FIPS 140 endpoint
     * @param dualStack whether to use the dual-stack (IPv4 and IPv6) endpoint
     * @return the region's TLS endpoint on port 443
     * @throws IllegalArgumentException when the region is not like {@code us-east-1}
     */
    public static Endpoint forRegion(String region, boolean fips, boolean dualStack) {
        checkRegion(region);
        boolean china = region.startsWith("cn-");
        String suffix = dualStack ? (china ? "api.amazonwebservices.com.cn" : "api.aws")
                : (china ? "amazonaws.com.cn" : "amazonaws.com");
        return new Endpoint(true, (fips ? "kinesis-fips." : "kinesis.") + region + "." + suffix, 443, region);
    }

    /**
     * An explicit endpoint, e.g. {@code http://127.0.0.1:4567} for the bundled backend, signed for {@code region}.
     *
     * @param url    {@code http(s)://host[:port][/]}; the port defaults to the scheme's
     * @param region the region in the signature, like {@code us-east-1}
     * @return the endpoint, over TLS when the scheme is {@code https}
     * @throws NullPointerException     when {@code url} is null
     * @throws IllegalArgumentException naming the URL when it is not {@code http(s)://host[:port][/]}, or when the
     *                                  region is not like {@code us-east-1}
     */
    public static Endpoint of(URI url, String region) {
        Objects.requireNonNull(url, "url");
        checkRegion(region);
        String scheme = url.getScheme() == null ? null : url.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("endpoint URL must start with http:// or https://: " + url);
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException("endpoint URL has no host: " + url);
        }
        if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("endpoint URL must not have user info, query or fragment: " + url);
        }
        String path = url.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException("endpoint URL must not have a path: " + url);
        }
        boolean tls = scheme.equals("https");
        int port = url.getPort() < 0 ? (tls ? 443 : 80) : url.getPort();
        String host = url.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Endpoint(tls, host, port, region);
    }

    /**
     * {@link #of(URI, String)} from a string.
     *
     * @param url    {@code http(s)://host[:port][/]}
     * @param region the region in the signature, like {@code us-east-1}
     * @return the endpoint
     * @throws IllegalArgumentException when the string is not a valid URL, or as {@link #of(URI, String)}
     */
    public static Endpoint of(String url, String region) {
        try {
            return of(URI.create(url), region);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("endpoint URL")) {
                throw e;
            }
            throw new IllegalArgumentException("endpoint URL is not a valid URL: " + url, e);
        }
    }

    private static void checkRegion(String region) {
        if (region == null || !REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("region must look like us-east-1, was " + region);
        }
    }

    /** @return whether requests go over TLS ({@code https}) */
    public boolean isTls() {
        return tls;
    }

    /** @return the host name or IP address to connect to (an IPv6 address without brackets) */
    public String host() {
        return host;
    }

    /** @return the TCP port to connect to */
    public int port() {
        return port;
    }

    /** @return the region SigV4 signatures are scoped to */
    public String region() {
        return region;
    }

    /**
     * The Host header (and what SigV4 signs).
     *
     * @return the host (an IPv6 address in brackets), plus {@code :port} when not the scheme's default
     */
    public String hostHeader() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == (tls ? 443 : 80) ? h : h + ":" + port;
    }

    /**
     * The endpoint as a URL.
     *
     * @return {@code http(s)://} and the {@linkplain #hostHeader() Host header}
     */
    public URI uri() {
        return URI.create((tls ? "https://" : "http://") + hostHeader());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && tls == e.tls && port == e.port && host.equals(e.host)
                && region.equals(e.region);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tls, host, port, region);
    }

    @Override
    public String toString() {
        return uri() + " (" + region + ")";
    }
}
