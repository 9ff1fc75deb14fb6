package io.runnel.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.producer.config.ConfigKeys;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.producer.errors.ProducerException;
import io.runnel.wire.Endpoint;
import io.runnel.wire.auth.AwsEnvironment;
import java.nio.file.Files;
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

    private Endpoint cloudWatch(ProducerConfig.Builder config, Endpoint kinesis, Map<String, String> env) {
        return KinesisProducer.cloudWatchEndpointFor(config.build(), kinesis, new AwsEnvironment(env, new Properties(),
                home));
    }

    @Test
    void metricsGoToTheRegionsCloudWatchOnlyWhenKinesisIsAws() {
        Endpoint aws = cloudWatch(ProducerConfig.builder(), Endpoint.forRegion("eu-west-1"), Map.of());
        assertThat(aws.uri().toString()).isEqualTo("https://monitoring.eu-west-1.amazonaws.com");
        assertThat(aws.region()).isEqualTo("eu-west-1");
        assertThat(cloudWatch(ProducerConfig.builder(), Endpoint.forRegion("us-west-2"),
                Map.of("AWS_USE_FIPS_ENDPOINT", "true")).host()).isEqualTo("monitoring-fips.us-west-2.amazonaws.com");
        Endpoint local = Endpoint.of("http://127.0.0.1:4567", "us-east-1");
        assertThat(cloudWatch(ProducerConfig.builder(), local, Map.of())).isNull();
        assertThat(cloudWatch(ProducerConfig.builder(), null, Map.of())).as("a client passed in").isNull();
        // The general AWS_ENDPOINT_URL moved Kinesis; it does not send metrics anywhere by itself.
        assertThat(cloudWatch(ProducerConfig.builder(), local, Map.of("AWS_ENDPOINT_URL", "http://localhost:4566")))
                .isNull();
    }

    @Test
    void aConfiguredCloudWatchEndpointWinsThenTheEnvironment() {
        Endpoint local = Endpoint.of("http://127.0.0.1:4567", "eu-central-1");
        Endpoint url = cloudWatch(ProducerConfig.builder().set(ConfigKeys.CLOUDWATCH_ENDPOINT_URL,
                "http://127.0.0.1:9999").set(ConfigKeys.CLOUDWATCH_ENDPOINT, "ignored"), local,
                Map.of("AWS_ENDPOINT_URL_CLOUDWATCH", "http://other:1"));
        assertThat(url.uri().toString()).isEqualTo("http://127.0.0.1:9999");
        assertThat(url.region()).isEqualTo("eu-central-1");
        Endpoint host = cloudWatch(ProducerConfig.builder().set(ConfigKeys.CLOUDWATCH_ENDPOINT, "cw.internal")
                .set(ConfigKeys.CLOUDWATCH_PORT, 8443L), local, Map.of());
        assertThat(host.uri().toString()).isEqualTo("https://cw.internal:8443");
        Endpoint env = cloudWatch(ProducerConfig.builder(), null, Map.of("AWS_ENDPOINT_URL_CLOUDWATCH",
                "http://localhost:4566", "AWS_REGION", "ap-south-1"));
        assertThat(env.uri().toString()).isEqualTo("http://localhost:4566");
        assertThat(env.region()).isEqualTo("ap-south-1");
        assertThatThrownBy(() -> cloudWatch(ProducerConfig.builder().set(ConfigKeys.CLOUDWATCH_ENDPOINT_URL,
                "ftp://x"), local, Map.of())).isInstanceOf(ProducerException.class)
                .hasMessageStartingWith("CloudwatchEndpointUrl: ");
    }

    @Test
    void theProfilesServicesSectionPlacesKinesisAndCloudWatch() throws Exception {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/config"), "[default]\nregion = eu-west-1\nservices = local\n"
                + "endpoint_url = http://global:4566\n[services local]\nkinesis =\n  endpoint_url = http://k:4567\n"
                + "cloudwatch =\n  endpoint_url = http://cw:4568\n");
        Endpoint kinesis = endpoint(ProducerConfig.builder(), Map.of());
        assertThat(kinesis.uri().toString()).isEqualTo("http://k:4567");
        assertThat(kinesis.region()).isEqualTo("eu-west-1");
        assertThat(cloudWatch(ProducerConfig.builder(), kinesis, Map.of()).uri().toString())
                .isEqualTo("http://cw:4568");
        // the general AWS_ENDPOINT_URL comes first: Kinesis goes there and metrics stay local, as before
        Map<String, String> global = Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:4569");
        Endpoint viaGlobal = endpoint(ProducerConfig.builder(), global);
        assertThat(viaGlobal.port()).isEqualTo(4569);
        assertThat(cloudWatch(ProducerConfig.builder(), viaGlobal, global)).isNull();
        // and the ignore flag leaves the region's public endpoints
        Map<String, String> ignore = Map.of("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
        assertThat(endpoint(ProducerConfig.builder(), ignore).host()).isEqualTo("kinesis.eu-west-1.amazonaws.com");
    }

    @Test
    void aNamespaceReservedForAwsIsRefused() {
        assertThatThrownBy(() -> ProducerConfig.builder().set(ConfigKeys.METRICS_NAMESPACE, "AWS/Kinesis").build())
                .hasMessageContaining("MetricsNamespace").hasMessageContaining("AWS/");
    }
}
