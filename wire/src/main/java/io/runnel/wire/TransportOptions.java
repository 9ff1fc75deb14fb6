package io.runnel.wire;

import io.runnel.wire.internal.PemCertificates;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How connections to AWS services leave this process: through an HTTP proxy or not, and which CA certificates are
 * trusted besides the JDK's default trust store. The Kinesis client and the credentials providers that call STS use
 * it; the instance metadata service and the container credentials endpoint never go through the proxy.
 *
 * <p>Immutable.
 *
 * @param proxy          the proxy, or null to connect directly
 * @param caCertificates CA certificates trusted in addition to the JDK's (empty: the JDK's alone)
 */
public record TransportOptions(ProxySettings proxy, List<X509Certificate> caCertificates) {
    /** Direct connections, the JDK's trust store. */
    public static final TransportOptions DEFAULT = new TransportOptions(null, List.of());

    /**
     * Copies the certificate list.
     *
     * @param proxy          the proxy, or null to connect directly
     * @param caCertificates CA certificates trusted in addition to the JDK's
     * @throws NullPointerException when {@code caCertificates} is or holds null
     */
    public TransportOptions {
        caCertificates = List.copyOf(caCertificates);
    }

    /**
     * These options with another proxy.
     *
     * @param proxy the proxy, or null to connect directly
     * @return a copy with {@code proxy}, the same certificates
     */
    public TransportOptions withProxy(ProxySettings proxy) {
        return new TransportOptions(proxy, caCertificates);
    }

    /**
     * These options also trusting the certificates of a PEM file (one or more {@code BEGIN CERTIFICATE} blocks; other
     * text around them is ignored).
     *
     * @param pemFile a PEM file of CA certificates
     * @return a copy trusting these certificates too (each certificate once)
     * @throws NullPointerException     when {@code pemFile} is null
     * @throws IllegalArgumentException naming the file when it cannot be read or holds no valid certificate
     */
    public TransportOptions withCaCertFile(Path pemFile) {
        return plus(PemCertificates.readFile(Objects.requireNonNull(pemFile, "pemFile")));
    }

    /**
     * These options also trusting every certificate of the PEM files in a directory (not its subdirectories; files
     * without a certificate, such as OpenSSL's hash links' neighbours, are skipped).
     *
     * @param directory a directory of PEM files, such as {@code /etc/ssl/certs}
     * @return a copy trusting these certificates too (each certificate once)
     * @throws NullPointerException     when {@code directory} is null
     * @throws IllegalArgumentException naming the directory or file when it cannot be read, a PEM block is invalid, or
     *                                  no file holds a certificate
     */
    public TransportOptions withCaCertPath(Path directory) {
        return plus(PemCertificates.readDirectory(Objects.requireNonNull(directory, "directory")));
    }

    private TransportOptions plus(List<X509Certificate> more) {
        List<X509Certificate> all = new ArrayList<>(caCertificates);
        for (X509Certificate c : more) {
            if (!all.contains(c)) {
                all.add(c);
            }
        }
        return new TransportOptions(proxy, all);
    }

    @Override
    public String toString() {
        return "TransportOptions[proxy " + proxy + ", " + caCertificates.size() + " extra CA certificates]";
    }
}
