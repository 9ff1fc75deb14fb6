package io.runnel.wire.testing;

import io.runnel.wire.Protocol;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/** AWS SDK v2 Kinesis clients pointed at a local endpoint, in CBOR or JSON, without retries. */
public final class SdkClients {
    private SdkClients() {
    }

    public static KinesisClient sdk(URI endpoint, Protocol protocol, String key, String secret) {
        // The SDK reads aws.cborEnabled when the client is built.
        String previous = System.getProperty("aws.cborEnabled");
        System.setProperty("aws.cborEnabled", Boolean.toString(protocol == Protocol.CBOR));
        try {
            return KinesisClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret)))
                    .httpClient(UrlConnectionHttpClient.create())
                    .overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none()))
                    .build();
        } finally {
            if (previous == null) {
                System.clearProperty("aws.cborEnabled");
            } else {
                System.setProperty("aws.cborEnabled", previous);
            }
        }
    }
}
