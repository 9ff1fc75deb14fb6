package io.runnel.wire.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/** Reads X.509 certificates from PEM files, and makes trust managers of the JDK's CAs plus extra ones. */
public final class PemCertificates {
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    private PemCertificates() {
    }

    /**
     * The certificates of one PEM file.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read, a block is invalid, or none is there
     */
    public static List<X509Certificate> readFile(Path file) {
        List<X509Certificate> certs = parse(file);
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("no PEM certificate (" + BEGIN + ") in " + file);
        }
        return certs;
    }

    /**
     * The certificates of every regular file in {@code directory} (symbolic links followed, files without a
     * certificate block skipped), in file name order.
     *
     * @throws IllegalArgumentException naming the directory or file when it cannot be read, a block is invalid, or no
     *                                  file holds a certificate
     */
    public static List<X509Certificate> readDirectory(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("not a directory: " + directory);
        }
        TreeSet<Path> files = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path p : entries) {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + directory + ": " + e.getMessage(), e);
        }
        List<X509Certificate> certs = new ArrayList<>();
        for (Path f : files) {
            for (X509Certificate c : parse(f)) {
                if (!certs.contains(c)) {
                    certs.add(c);
                }
            }
        }
        if (certs.isEmpty()) {
            throw new IllegalArgumentException("no PEM certificate (" + BEGIN + ") in any file of " + directory);
        }
        return certs;
    }

    private static List<X509Certificate> parse(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1); // PEM is ASCII; never fails to decode
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        List<X509Certificate> certs = new ArrayList<>();
        CertificateFactory factory = x509();
        int from = 0;
        while (true) {
            int begin = text.indexOf(BEGIN, from);
            if (begin < 0) {
                return certs;
            }
            int end = text.indexOf(END, begin);
            if (end < 0) {
                throw new IllegalArgumentException(file + ": certificate " + (certs.size() + 1) + " has no " + END);
            }
            try {
                byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + BEGIN.length(), end));
                certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            } catch (IllegalArgumentException | CertificateException e) {
                throw new IllegalArgumentException(file + ": certificate " + (certs.size() + 1) + " is invalid: "
                        + e.getMessage(), e);
            }
            from = end + END.length();
        }
    }

    private static CertificateFactory x509() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("this JDK has no X.509 certificate factory", e);
        }
    }

    /** A trust manager factory trusting the JDK's default CAs and {@code extra}. */
    public static TrustManagerFactory trustingDefaultsAnd(List<X509Certificate> extra) {
        try {
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (TrustManager tm : jdk.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    for (X509Certificate c : x.getAcceptedIssuers()) {
                        store.setCertificateEntry("jdk-" + i++, c);
                    }
                }
            }
            for (X509Certificate c : extra) {
                store.setCertificateEntry("extra-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            return tmf;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store of the JDK's and the configured CA"
                    + " certificates: " + e.getMessage(), e);
        }
    }
}
