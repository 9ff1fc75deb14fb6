package io.runnel.awssdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsException;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

class AwsSdkCredentialsTest {

    @Test
    void basicCredentialsHaveNoSessionTokenOrExpiration() {
        AwsSdkCredentials adapted = AwsSdkCredentials.of(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBASIC", "basic-secret")));

        assertThat(adapted.resolveCredentials()).isEqualTo(new Credentials("AKIDBASIC", "basic-secret", null, null));
    }

    @Test
    void sessionCredentialsKeepTheirSessionToken() {
        AwsSdkCredentials adapted = AwsSdkCredentials.of(StaticCredentialsProvider.create(
                AwsSessionCredentials.create("ASIASESSION", "session-secret", "the-token")));

        Credentials creds = adapted.resolveCredentials();

        assertThat(creds.accessKeyId()).isEqualTo("ASIASESSION");
        assertThat(creds.secretAccessKey()).isEqualTo("session-secret");
        assertThat(creds.sessionToken()).isEqualTo("the-token");
        assertThat(creds.expiration()).isNull();
    }

    @Test
    void expiringCredentialsKeepTheirExpirationAndTheProviderIsAskedEachTime() {
        Instant first = Instant.parse("2026-12-02T13:00:00Z");
        AtomicInteger calls = new AtomicInteger();
        // A provider that renews itself (as the SDK's caching ones do): each answer expires an hour after the last.
        AwsCredentialsProvider renewing = () -> AwsSessionCredentials.builder().accessKeyId("ASIA" + calls.get())
                .secretAccessKey("secret").sessionToken("token-" + calls.get())
                .expirationTime(first.plusSeconds(3600L * calls.getAndIncrement())).build();
        AwsSdkCredentials adapted = AwsSdkCredentials.of(renewing);

        Credentials now = adapted.resolveCredentials();
        Credentials later = adapted.resolveCredentials();

        assertThat(now).isEqualTo(new Credentials("ASIA0", "secret", "token-0", first));
        assertThat(later).isEqualTo(new Credentials("ASIA1", "secret", "token-1", first.plusSeconds(3600)));
        assertThat(calls).hasValue(2); // no cache here: the SDK provider's own caching decides
    }

    @Test
    void aThrowingProviderBecomesACredentialsExceptionWithTheCause() {
        SdkClientException sdkError = SdkClientException.create("Unable to load credentials from any provider");
        AwsSdkCredentials adapted = AwsSdkCredentials.of((AwsCredentialsProvider) () -> {
            throw sdkError;
        });

        assertThatThrownBy(adapted::resolveCredentials).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("Unable to load credentials from any provider").hasCause(sdkError);
    }

    @Test
    void aProviderAnsweringNothingOrAnEmptyKeyIsACredentialsException() {
        AwsSdkCredentials none = AwsSdkCredentials.of((AwsCredentialsProvider) () -> null);
        AwsSdkCredentials empty = AwsSdkCredentials.of((AwsCredentialsProvider) () -> new AwsCredentials() {
            @Override
            public String accessKeyId() {
                return "";
            }

            @Override
            public String secretAccessKey() {
                return "secret";
            }
        });

        assertThatThrownBy(none::resolveCredentials).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("returned no credentials");
        assertThatThrownBy(empty::resolveCredentials).isInstanceOf(CredentialsException.class)
                .hasMessageContaining("accessKeyId").hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anIdentityProviderIsAdaptedAndItsFailureUnwrapped() {
        Instant expiry = Instant.parse("2026-12-02T15:00:00Z");
        AwsSdkCredentials good = AwsSdkCredentials.of(identities(CompletableFuture.completedFuture(
                AwsSessionCredentials.builder().accessKeyId("ASIAID").secretAccessKey("s").sessionToken("t")
                        .expirationTime(expiry).build())));
        SdkClientException sdkError = SdkClientException.create("no identity");
        AwsSdkCredentials bad = AwsSdkCredentials.of(identities(CompletableFuture.failedFuture(sdkError)));

        assertThat(good.resolveCredentials()).isEqualTo(new Credentials("ASIAID", "s", "t", expiry));
        assertThatThrownBy(bad::resolveCredentials).isInstanceOf(CredentialsException.class).hasCause(sdkError);
    }

    @Test
    void closingLeavesTheSdkProviderToTheApplication() {
        AtomicInteger closed = new AtomicInteger();
        class Closeable implements AwsCredentialsProvider, AutoCloseable {
            @Override
            public AwsBasicCredentials resolveCredentials() {
                return AwsBasicCredentials.create("AKID", "secret");
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        }

        AwsSdkCredentials.of(new Closeable()).close();

        assertThat(closed).hasValue(0);
    }

    private static IdentityProvider<AwsCredentialsIdentity> identities(
            CompletableFuture<? extends AwsCredentialsIdentity> answer) {
        return new IdentityProvider<>() {
            @Override
            public Class<AwsCredentialsIdentity> identityType() {
                return AwsCredentialsIdentity.class;
            }

            @Override
            public CompletableFuture<? extends AwsCredentialsIdentity> resolveIdentity(
                    software.amazon.awssdk.identity.spi.ResolveIdentityRequest request) {
                return answer;
            }
        };
    }
}
