package io.runnel.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An HTTP proxy reached with {@code CONNECT}: every connection to a host it applies to opens a tunnel through the
 * proxy first, then speaks TLS (or plain HTTP) inside it. Loopback hosts go through the proxy too, unless a
 * {@linkplain #nonProxyHosts() non-proxy host} pattern matches them.
 *
 * <p>Immutable; {@link #toString()} never shows the password.
 *
 * @param host          the proxy's host name or IP literal
 * @param port          the proxy's port (1-65535)
 * @param userName      user for Basic authentication, or null for none
 * @param password      password for Basic authentication, or null for none (only with a user)
 * @param nonProxyHosts host patterns connected to directly, as Java's {@code http.nonProxyHosts}: a {@code *}
 *                      matches any run of characters, matching ignores case (e.g. {@code *.internal}, {@code 10.*})
 */
public record ProxySettings(String host, int port, String userName, String password, List<String> nonProxyHosts) {
    /**
     * Checks the settings; an empty user name or password counts as none, the patterns are copied.
     *
     * @param host          the proxy's host name or IP literal
     * @param port          the proxy's port (1-65535)
     * @param userName      user for Basic authentication, or null or empty for none
     * @param password      its password, or null or empty for none
     * @param nonProxyHosts host patterns connected to directly
     * @throws NullPointerException     when {@code host} or {@code nonProxyHosts} is null
     * @throws IllegalArgumentException when the host or a pattern is blank, the port is out of range, or there is a
     *                                  password without a user name
     */
    public ProxySettings {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("proxy host must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("proxy port must be 1-65535, was " + port);
        }
        if (userName != null && userName.isEmpty()) {
            userName = null;
        }
        if (password != null && password.isEmpty()) {
            password = null;
        }
        if (password != null && userName == null) {
            throw new IllegalArgumentException("a proxy password needs a proxy user name");
        }
        nonProxyHosts = List.copyOf(nonProxyHosts);
        for (String p : nonProxyHosts) {
            if (p.isBlank()) {
                throw new IllegalArgumentException("non-proxy host patterns must not be blank: " + nonProxyHosts);
            }
        }
    }

    /**
     * A proxy without authentication, used for every host.
     *
     * @param host the proxy's host name or IP literal
     * @param port the proxy's port (1-65535)
     * @return the settings
     * @throws IllegalArgumentException when the host is blank or the port out of range
     */
    public static ProxySettings of(String host, int port) {
        return new ProxySettings(host, port, null, null, List.of());
    }

    /**
     * This proxy with Basic authentication.
     *
     * @param userName the user sent in {@code Proxy-Authorization}
     * @param password its password
     * @return a copy with these credentials
     * @throws NullPointerException     when either is null
     * @throws IllegalArgumentException when the user name is empty but the password is not
     */
    public ProxySettings withBasicAuth(String userName, String password) {
        return new ProxySettings(host, port, Objects.requireNonNull(userName, "userName"),
                Objects.requireNonNull(password, "password"), nonProxyHosts);
    }

    /**
     * This proxy, bypassed for hosts matching one of {@code patterns}: {@code |}-separated globs, as Java's
     * {@code http.nonProxyHosts} (blank entries are skipped; an empty string bypasses nothing).
     *
     * @param patterns e.g. {@code localhost|*.internal|10.*}
     * @return a copy with these patterns in place of the current ones
     */
    public ProxySettings withNonProxyHosts(String patterns) {
        List<String> list = new ArrayList<>();
        for (String p : patterns.split("\\|")) {
            if (!p.isBlank()) {
                list.add(p.strip());
            }
        }
        return new ProxySettings(host, port, userName, password, list);
    }

    /**
     * Whether connections to a host go through this proxy.
     *
     * @param destinationHost the host to connect to (an IPv6 literal with or without brackets)
     * @return true unless a non-proxy pattern matches it, ignoring case
     */
    public boolean appliesTo(String destinationHost) {
        String h = bare(destinationHost).toLowerCase(Locale.ROOT);
        for (String p : nonProxyHosts) {
            if (glob(bare(p).toLowerCase(Locale.ROOT)).matcher(h).matches()) {
                return false;
            }
        }
        return true;
    }

    /** @return whether Basic credentials are sent to the proxy (a user name is set) */
    public boolean hasCredentials() {
        return userName != null;
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** {@code *} matches any run of characters; everything else is literal. */
    private static Pattern glob(String pattern) {
        String[] parts = pattern.split("\\*", -1);
        StringBuilder re = new StringBuilder(pattern.length() + 16);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                re.append(".*");
            }
            if (!parts[i].isEmpty()) {
                re.append(Pattern.quote(parts[i]));
            }
        }
        return Pattern.compile(re.toString());
    }

    /** {@code host:port}, the user if any, the non-proxy hosts; never the password. */
    @Override
    public String toString() {
        return "ProxySettings[" + host + ":" + port + (userName == null ? "" : ", user " + userName + ", password ***")
                + (nonProxyHosts.isEmpty() ? "" : ", nonProxyHosts " + String.join("|", nonProxyHosts)) + "]";
    }
}
