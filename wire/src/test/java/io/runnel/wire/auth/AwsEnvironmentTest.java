package io.runnel.wire.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class AwsEnvironmentTest {
    @RegisterExtension
    static final WireMockExtension imds = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();

    @TempDir
    Path home;

    private void config(String text) throws Exception {
        Files.createDirectories(home.resolve(".aws"));
        Files.writeString(home.resolve(".aws/config"), text);
    }

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void theRegionComesFromTheSystemPropertyTheEnvironmentOrTheProfileInThatOrder() throws Exception {
        config("[default]\nregion = eu-central-1\n[profile other]\nregion = ap-south-1\n");
        assertThat(new AwsEnvironment(Map.of(), props(), home).region())
                .isEqualTo(new AwsEnvironment.Setting("eu-central-1", "profile default"));
        assertThat(new AwsEnvironment(Map.of("AWS_PROFILE", "other"), props(), home).region().value())
                .isEqualTo("ap-south-1");
        assertThat(new AwsEnvironment(Map.of("AWS_DEFAULT_REGION", "us-west-1"), props(), home).region())
                .isEqualTo(new AwsEnvironment.Setting("us-west-1", "AWS_DEFAULT_REGION"));
        assertThat(new AwsEnvironment(Map.of("AWS_REGION", "us-west-2", "AWS_DEFAULT_REGION", "us-west-1"), props(),
                home).region().value()).isEqualTo("us-west-2");
        assertThat(new AwsEnvironment(Map.of("AWS_REGION", "us-west-2"), props("aws.region", "sa-east-1"), home)
                .region()).isEqualTo(new AwsEnvironment.Setting("sa-east-1", "system property aws.region"));
        assertThat(new AwsEnvironment(Map.of("AWS_PROFILE", "missing", "AWS_EC2_METADATA_DISABLED", "true"), props(),
                home).region()).isNull();
    }

    @Test
    void onEc2TheRegionComesLastFromInstanceMetadataAskedOnce() throws Exception {
        config("[profile set]\nregion = eu-central-1\n");
        InstanceMetadataRegionTest.imdsAnswersRegion(imds, "us-west-2");
        String endpoint = "http://127.0.0.1:" + imds.getPort();
        Map<String, String> onEc2 = Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint);
        AwsEnvironment env = new AwsEnvironment(onEc2, props(), home, InstanceMetadataRegionTest.region(onEc2));
        assertThat(env.region()).isEqualTo(new AwsEnvironment.Setting("us-west-2", "instance metadata"));
        assertThat(env.region().value()).isEqualTo("us-west-2");
        imds.verify(1, getRequestedFor(urlEqualTo(InstanceMetadataRegion.REGION_PATH)));

        imds.resetRequests();
        assertThat(new AwsEnvironment(Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint, "AWS_PROFILE", "set"),
                props(), home).region().value()).isEqualTo("eu-central-1");
        assertThat(new AwsEnvironment(Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoint, "AWS_REGION",
                "sa-east-1"), props(), home).region().value()).isEqualTo("sa-east-1");
        assertThat(imds.getAllServeEvents()).isEmpty(); // not asked when anything else sets the region
    }

    @Test
    void endpointOverridesGoServiceFirstThenGlobalThenProfile() throws Exception {
        config("[default]\nendpoint_url = http://127.0.0.1:4567\nuse_fips_endpoint = true\n");
        AwsEnvironment fromProfile = new AwsEnvironment(Map.of(), props(), home);
        assertThat(fromProfile.endpointUrl("kinesis"))
                .isEqualTo(new AwsEnvironment.Setting("http://127.0.0.1:4567", "profile default"));
        assertThat(fromProfile.useFips()).isTrue();
        assertThat(fromProfile.useDualStack()).isFalse();
        AwsEnvironment fromEnv = new AwsEnvironment(Map.of("AWS_ENDPOINT_URL", "http://global:1",
                "AWS_ENDPOINT_URL_KINESIS", "http://kinesis:2", "AWS_USE_FIPS_ENDPOINT", "false",
                "AWS_USE_DUALSTACK_ENDPOINT", "TRUE"), props(), home);
        assertThat(fromEnv.endpointUrl("kinesis").value()).isEqualTo("http://kinesis:2");
        assertThat(fromEnv.endpointUrl("sts").value()).isEqualTo("http://global:1");
        assertThat(fromEnv.useFips()).isFalse(); // the environment wins over the profile
        assertThat(fromEnv.useDualStack()).isTrue();
        assertThat(new AwsEnvironment(Map.of("AWS_CONFIG_FILE", home.resolve("none").toString()), props(), home)
                .endpointUrl("kinesis")).isNull();
    }
}
