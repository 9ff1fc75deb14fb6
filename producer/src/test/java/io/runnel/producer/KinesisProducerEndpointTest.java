package io.runnel.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.producer.config.ProducerConfig;
import io.runnel.producer.errors.ProducerException;
import io.runnel.wire.Endpoint;
import io.runnel.wire.auth.AwsEnvironment;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the producer sends, from its configuration and then from the environment, as the AWS SDKs resolve it. */
class KinesisProducerEndpointTest {
    @TempDir
    Path home;

    private Endpoint endpoint(ProducerConfig.Builder config, Map<String, String> env) {
        return KinesisProducer.endpointFor(config.build(), new AwsEnvironment(env, new Properties(), home));
    }

    @Test
    void theConfigurationWinsThenTheEnvironment() {
        Endpoint configured = endpoint(ProducerConfig.builder().region("eu-west-1")
                .kinesisEndpointUrl("http://127.0.0.1:4567"), Map.of("AWS_ENDPOINT_URL_KINESIS", "http://other:1",
                        "AWS_REGION", "us-east-2"));
        assertThat(configured.host()).isEqualTo("127.0.0.1");
        assertThat(configured.region()).isEqualTo("eu-west-1");
        Endpoint fromEnv = endpoint(ProducerConfig.builder(), Map.of("AWS_ENDPOINT_URL_KINESIS",
                "http://localhost:4599", "AWS_REGION", "us-east-2"));
        assertThat(fromEnv.host()).isEqualTo("localhost");
        assertThat(fromEnv.port()).isEqualTo(4599);
        assertThat(fromEnv.region()).isEqualTo("us-east-2");
        Endpoint fips = endpoint(ProducerConfig.builder(), Map.of("AWS_REGION", "us-west-2",
                "AWS_USE_FIPS_ENDPOINT", "true", "AWS_USE_DUALSTACK_ENDPOINT", "true"));
        assertThat(fips.host()).isEqualTo("kinesis-fips.us-west-2.api.aws");
    }

    @Test
    void aMissingRegionOrABadEndpointVariableIsNamed() {
        assertThatThrownBy(() -> endpoint(ProducerConfig.builder(), Map.of("AWS_EC2_METADATA_DISABLED", "true")))
                .isInstanceOf(ProducerException.class).hasMessageContaining("Region is not set")
                .hasMessageContaining("AWS_REGION").hasMessageContaining("instance metadata");
        assertThatThrownBy(() -> endpoint(ProducerConfig.builder(), Map.of("AWS_REGION", "us-east-1",
                "AWS_ENDPOINT_URL", "ftp://nope"))).isInstanceOf(ProducerException.class)
                .hasMessageStartingWith("AWS_ENDPOINT_URL: ");
    }
}
