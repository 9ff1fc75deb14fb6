package io.runnel.wire.auth;

/**
 * Runs in a child JVM for {@link SsoSdkCrossCheckTest}: the AWS SDK for Java 2.x reads the SSO token cache under
 * {@code $HOME} (fixed when its classes load), so a test gives it a home of its own this way. Prints one line per
 * profile: {@code OK <profile> <key id> <secret> <session token>} or
 * {@code ERR <profile> <exception class>: <message>}.
 */
public final class SdkProfileCredentialsMain {
    private SdkProfileCredentialsMain() {
    }

    public static void main(String[] profiles) {
        for (String profile : profiles) {
            try (var p = software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider.create(profile)) {
                var c = (software.amazon.awssdk.auth.credentials.AwsSessionCredentials) p.resolveCredentials();
                System.out.println("OK " + profile + " " + c.accessKeyId() + " " + c.secretAccessKey() + " "
                        + c.sessionToken()); // the SDK keeps SSO credentials' expiration to itself
            } catch (RuntimeException e) {
                System.out.println("ERR " + profile + " " + e.getClass().getSimpleName() + ": "
                        + String.valueOf(e.getMessage()).replace('\n', ' '));
            }
        }
        System.out.flush();
    }
}
