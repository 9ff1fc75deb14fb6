package io.runnel.wire.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

class SystemPropertyCredentialsProviderTest {
    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void readsKeysAndOptionalSessionToken() {
        assertThat(new SystemPropertyCredentialsProvider(props("aws.accessKeyId", " AKID ",
                "aws.secretAccessKey", "s3cr3t")).resolveCredentials()).isEqualTo(Credentials.of("AKID", "s3cr3t"));
        assertThat(new SystemPropertyCredentialsProvider(props("aws.accessKeyId", "AKID",
                "aws.secretAccessKey", "s3cr3t", "aws.sessionToken", "tok")).resolveCredentials())
                .isEqualTo(Credentials.of("AKID", "s3cr3t", "tok"));
    }

    @Test
    void readsThePropertiesOnEveryCall() {
        Properties p = new Properties();
        SystemPropertyCredentialsProvider provider = new SystemPropertyCredentialsProvider(p);
        assertThatThrownBy(provider::resolveCredentials).isInstanceOf(CredentialsException.class);
        p.setProperty("aws.accessKeyId", "LATER");
        p.setProperty("aws.secretAccessKey", "s");
        assertThat(provider.resolveCredentials().accessKeyId()).isEqualTo("LATER");
    }

    @Test
    void missingOrBlankPropertyIsNamed() {
        assertThatThrownBy(() -> new SystemPropertyCredentialsProvider(props()).resolveCredentials())
                .isInstanceOf(CredentialsException.class).hasMessageContaining("aws.accessKeyId");
        assertThatThrownBy(() -> new SystemPropertyCredentialsProvider(props("aws.accessKeyId", "A",
                "aws.secretAccessKey", "  ")).resolveCredentials())
                .isInstanceOf(CredentialsException.class).hasMessageContaining("aws.secretAccessKey");
    }

    @Test
    void sameNamesAsTheSdk() {
        String[] keys = {"aws.accessKeyId", "aws.secretAccessKey", "aws.sessionToken"};
        String[] saved = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            saved[i] = System.getProperty(keys[i]);
        }
        try {
            System.setProperty("aws.accessKeyId", "SDKSAME");
            System.setProperty("aws.secretAccessKey", "secret-sdk");
            System.setProperty("aws.sessionToken", "token-sdk");
            AwsCredentials sdk = software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider.create()
                    .resolveCredentials();
            Credentials ours = new SystemPropertyCredentialsProvider().resolveCredentials();
            assertThat(ours.accessKeyId()).isEqualTo(sdk.accessKeyId());
            assertThat(ours.secretAccessKey()).isEqualTo(sdk.secretAccessKey());
            assertThat(ours.sessionToken()).isEqualTo(((AwsSessionCredentials) sdk).sessionToken());
        } finally {
            for (int i = 0; i < keys.length; i++) {
                if (saved[i] == null) {
                    System.clearProperty(keys[i]);
                } else {
                    System.setProperty(keys[i], saved[i]);
                }
            }
        }
    }
}
