package io.runnel.awssdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.backend.KinesisBackend;
import io.runnel.wire.Endpoint;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.Protocol;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.model.ListStreamsRequest;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The bundled backend started as {@code --auth sigv4} checks what is signed with adapted SDK credentials. */
class AwsSdkCredentialsSigningTest {

    @Test
    void requestsSignedWithAdaptedSessionCredentialsAreAcceptedAndAWrongSecretIsNot() {
        try (KinesisBackend backend = KinesisBackend.builder().requireSignatures(Credentials.of("ASIASDK", "sdk-secret"))
                .createStream("signed", 1).start();
                NettyKinesisClient right = client(backend, StaticCredentialsProvider.create(
                        AwsSessionCredentials.create("ASIASDK", "sdk-secret", "session-token")));
                NettyKinesisClient wrong = client(backend, StaticCredentialsProvider.create(
                        AwsSessionCredentials.create("ASIASDK", "not-the-secret", "session-token")))) {
            assertThat(right.listStreams(new ListStreamsRequest(null, null, null)).join().streamNames())
                    .contains("signed");
            assertThatThrownBy(() -> wrong.listStreams(new ListStreamsRequest(null, null, null)).join())
                    .isInstanceOf(CompletionException.class).cause()
                    .isInstanceOfSatisfying(KinesisServiceException.class,
                            e -> assertThat(e.errorCode()).isEqualTo("InvalidSignatureException"));
        }
    }

    private static NettyKinesisClient client(KinesisBackend backend, AwsCredentialsProvider sdk) {
        return NettyKinesisClient.builder().endpoint(Endpoint.of(backend.endpoint(), backend.region()))
                .protocol(Protocol.CBOR).credentialsProvider(AwsSdkCredentials.of(sdk))
                .requestTimeout(Duration.ofSeconds(10)).build();
    }
}
