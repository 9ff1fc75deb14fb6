package io.runnel.wire.auth;

import java.util.Objects;
import java.util.Properties;

/**
 * Credentials from the Java system properties {@code aws.accessKeyId}, {@code aws.secretAccessKey} and optionally
 * {@code aws.sessionToken} (the names the AWS SDK for Java 2.x reads). Thread-safe; reads the properties on every
 * call, so a key set after construction is seen.
 */
public final class SystemPropertyCredentialsProvider implements CredentialsProvider {
    static final String ACCESS_KEY_ID = "aws.accessKeyId";
    static final String SECRET_ACCESS_KEY = "aws.secretAccessKey";
    static final String SESSION_TOKEN = "aws.sessionToken";

    private final Properties properties;

    /** Reads the JVM's system properties. */
    public SystemPropertyCredentialsProvider() {
        this(System.getProperties());
    }

    /**
     * Reads {@code properties} (for tests and embedding).
     *
     * @param properties the properties, read on every call, not copied
     * @throws NullPointerException when {@code properties} is null
     */
    public SystemPropertyCredentialsProvider(Properties properties) {
        this.properties = Objects.requireNonNull(properties, "properties");
    }

    /**
     * @throws CredentialsException naming the missing property when {@code aws.accessKeyId} or
     *                              {@code aws.secretAccessKey} is not set or blank
     */
    @Override
    public Credentials resolveCredentials() {
        String id = EnvironmentCredentialsProvider.trimToNull(properties.getProperty(ACCESS_KEY_ID));
        String secret = EnvironmentCredentialsProvider.trimToNull(properties.getProperty(SECRET_ACCESS_KEY));
        if (id == null || secret == null) {
            throw new CredentialsException("system properties: " + (id == null ? ACCESS_KEY_ID : SECRET_ACCESS_KEY)
                    + " is not set");
        }
        return new Credentials(id, secret, EnvironmentCredentialsProvider.trimToNull(
                properties.getProperty(SESSION_TOKEN)), null);
    }

    @Override
    public String toString() {
        return "SystemPropertyCredentialsProvider";
    }
}
