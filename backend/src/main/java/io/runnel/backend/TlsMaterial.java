package io.runnel.backend;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.runnel.backend.http.BackendChannelInitializer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;

/**
 * The certificate the backend's HTTPS port presents: PEM files, or a self-signed certificate for
 * {@code localhost}/{@code 127.0.0.1} generated once with the JDK's {@code keytool} and kept (so clients that pinned
 * it keep trusting it).
 */
public final class TlsMaterial {
    private final Path certificate;
    private final Path privateKey;
    private final Path keyStore;
    private static final char[] STORE_PASSWORD = "runnel-local".toCharArray();

    private TlsMaterial(Path certificate, Path privateKey, Path keyStore) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.keyStore = keyStore;
    }

    /**
     * A PEM certificate chain and PKCS#8 PEM private key. The files are read when the backend starts.
     *
     * @param certificate the certificate chain file, the server's certificate first
     * @param privateKey  the private key file, unencrypted
     * @return the material
     */
    public static TlsMaterial pem(Path certificate, Path privateKey) {
        return new TlsMaterial(certificate, privateKey, null);
    }

    /**
     * A self-signed certificate in {@code dir/backend-tls.p12}, generated with keytool the first time.
     *
     * @param dir the directory to keep the key store in, created when missing
     * @return the material
     * @throws IllegalStateException when keytool fails or is interrupted, or the directory cannot be made
     */
    public static TlsMaterial selfSigned(Path dir) {
        Path store = dir.resolve("backend-tls.p12");
        if (!Files.exists(store)) {
            try {
                Files.createDirectories(dir);
                String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
                Process p = new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", "runnel", "-keyalg", "RSA",
                        "-keysize", "2048", "-validity", "3650", "-dname", "CN=localhost", "-ext",
                        "SAN=dns:localhost,ip:127.0.0.1,ip:::1", "-storetype", "PKCS12", "-keystore", store.toString(),
                        "-storepass", new String(STORE_PASSWORD), "-keypass", new String(STORE_PASSWORD)))
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("keytool could not create " + store + ": " + out);
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot create a self-signed certificate in " + dir, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating a certificate", e);
            }
        }
        return new TlsMaterial(null, null, store);
    }

    /** {@return the PKCS#12 store of a self-signed certificate, or null for PEM material} */
    public Path keyStore() {
        return keyStore;
    }

    /**
     * The certificate clients should trust, as PEM (for a client's CaCertFile): the PEM certificate file as given, or
     * the self-signed certificate of the key store.
     *
     * @return the certificate in PEM form
     * @throws IllegalStateException when the file or key store cannot be read
     */
    public String certificatePem() {
        try {
            if (keyStore == null) {
                return Files.readString(certificate);
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                ks.load(in, STORE_PASSWORD);
            }
            byte[] der = ks.getCertificate("runnel").getEncoded();
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                    + "\n-----END CERTIFICATE-----\n";
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the TLS certificate of " + (keyStore == null ? certificate
                    : keyStore) + ": " + e.getMessage(), e);
        }
    }

    /** Offers HTTP/2 (for SubscribeToShard) and HTTP/1.1 by ALPN. */
    private static SslContextBuilder withAlpn(SslContextBuilder b) {
        return b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                BackendChannelInitializer.alpn()));
    }

    SslContext sslContext() {
        try {
            if (keyStore == null) {
                return withAlpn(SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile())).build();
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keyStore)) {
                ks.load(in, STORE_PASSWORD);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, STORE_PASSWORD);
            return withAlpn(SslContextBuilder.forServer(kmf)).build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot load the TLS certificate: " + e.getMessage(), e);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the TLS key store " + keyStore + ": " + e.getMessage(), e);
        }
    }
}
