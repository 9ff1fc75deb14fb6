package io.runnel.wire.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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

    private static final String SERVICES = "[profile dev]\nservices = local\nendpoint_url = http://profile:1\n"
            + "[services local]\nkinesis =\n  endpoint_url = http://services-kinesis:2 # comment\n"
            + "  other = x\ncloudwatch =\n\tendpoint_url = http://services-cloudwatch:3\n";

    private AwsEnvironment dev(Map<String, String> variables, Properties systemProperties) {
        Map<String, String> env = new HashMap<>(variables);
        env.put("AWS_PROFILE", "dev");
        return new AwsEnvironment(env, systemProperties, home);
    }

    @Test
    void eachEndpointSourceWinsOverTheOnesAfterIt() throws Exception {
        config(SERVICES);
        Map<String, String> all = Map.of("AWS_ENDPOINT_URL_KINESIS", "http://env-kinesis:4",
                "AWS_ENDPOINT_URL", "http://env-global:5");
        Properties props = props("aws.endpointUrlKinesis", "http://prop-kinesis:6", "aws.endpointUrl",
                "http://prop-global:7");
        assertThat(dev(all, props).endpointUrl("Kinesis"))
                .isEqualTo(new AwsEnvironment.Setting("http://prop-kinesis:6",
                        "system property aws.endpointUrlKinesis"));
        assertThat(dev(all, props("aws.endpointUrl", "http://prop-global:7")).endpointUrl("Kinesis"))
                .isEqualTo(new AwsEnvironment.Setting("http://prop-global:7", "system property aws.endpointUrl"));
        assertThat(dev(all, props()).endpointUrl("Kinesis"))
                .isEqualTo(new AwsEnvironment.Setting("http://env-kinesis:4", "AWS_ENDPOINT_URL_KINESIS"));
        assertThat(dev(Map.of("AWS_ENDPOINT_URL", "http://env-global:5"), props()).endpointUrl("Kinesis"))
                .isEqualTo(new AwsEnvironment.Setting("http://env-global:5", "AWS_ENDPOINT_URL"));
        assertThat(dev(Map.of(), props()).endpointUrl("Kinesis"))
                .isEqualTo(new AwsEnvironment.Setting("http://services-kinesis:2", "[services local] kinesis"));
        assertThat(dev(Map.of(), props()).endpointUrl("Firehose"))
                .isEqualTo(new AwsEnvironment.Setting("http://profile:1", "profile dev"));
        assertThat(new AwsEnvironment(Map.of(), props(), home).endpointUrl("Kinesis")).isNull(); // [default]: none
    }

    @Test
    void serviceNamesFollowTheSdkSpelling() throws Exception {
        String[][] cases = {{"Kinesis", "KINESIS", "Kinesis"}, {"Firehose", "FIREHOSE", "Firehose"},
            {"CloudWatch", "CLOUDWATCH", "CloudWatch"}, {"STS", "STS", "Sts"}, {"SSO", "SSO", "Sso"},
            {"SSO OIDC", "SSO_OIDC", "SsoOidc"}};
        for (String[] c : cases) {
            assertThat(new AwsEnvironment(Map.of("AWS_ENDPOINT_URL_" + c[1], "http://v:1"), props(), home)
                    .endpointUrl(c[0]).source()).isEqualTo("AWS_ENDPOINT_URL_" + c[1]);
            assertThat(new AwsEnvironment(Map.of(), props("aws.endpointUrl" + c[2], "http://p:1"), home)
                    .endpointUrl(c[0]).source()).isEqualTo("system property aws.endpointUrl" + c[2]);
        }
        config("[default]\nservices = s\n[services s]\nsso_oidc =\n  endpoint_url = http://o:1\n");
        assertThat(new AwsEnvironment(Map.of(), props(), home).endpointUrl("SSO OIDC").value()).isEqualTo("http://o:1");
    }

    @Test
    void theIgnoreFlagDropsEveryConfiguredEndpoint() throws Exception {
        config(SERVICES.replace("[profile dev]\n", "[profile dev]\nignore_configured_endpoint_urls = true\n"));
        Map<String, String> all = Map.of("AWS_ENDPOINT_URL_KINESIS", "http://env-kinesis:4");
        Properties props = props("aws.endpointUrl", "http://prop-global:7");
        assertThat(dev(all, props).ignoreConfiguredEndpointUrls()).isTrue();
        assertThat(dev(all, props).endpointUrl("Kinesis")).isNull();
        assertThat(dev(Map.of(), props()).endpointUrl("CloudWatch")).isNull();
        // the variable, then the system property, override the profile's flag
        assertThat(dev(Map.of("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false"), props()).endpointUrl("Kinesis")
                .value()).isEqualTo("http://services-kinesis:2");
        assertThat(dev(Map.of("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false"),
                props("aws.ignoreConfiguredEndpointUrls", "TRUE")).endpointUrl("Kinesis")).isNull();
        config(SERVICES);
        assertThat(dev(Map.of("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"), props()).endpointUrl("Kinesis"))
                .isNull();
    }

    @Test
    void onlyServiceSpecificSourcesCountAsTheServicesOwn() throws Exception {
        config(SERVICES);
        assertThat(dev(Map.of(), props()).serviceEndpointUrl("CloudWatch").value())
                .isEqualTo("http://services-cloudwatch:3");
        assertThat(dev(Map.of(), props()).serviceEndpointUrl("Firehose")).isNull(); // profile endpoint_url
        assertThat(dev(Map.of("AWS_ENDPOINT_URL", "http://g:1"), props()).serviceEndpointUrl("CloudWatch")).isNull();
        assertThat(dev(Map.of("AWS_ENDPOINT_URL_CLOUDWATCH", "http://c:1"), props()).serviceEndpointUrl("CloudWatch")
                .source()).isEqualTo("AWS_ENDPOINT_URL_CLOUDWATCH");
    }
}
