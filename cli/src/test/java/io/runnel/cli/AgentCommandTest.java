package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.agent.AgentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runnel agent --profile NAME} takes the region from that profile when nothing else names one. */
class AgentCommandTest {
    @TempDir
    Path home;

    private AgentCommand command(String profile, String region, Map<String, String> moreEnv) throws Exception {
        Files.writeString(home.resolve("aws-config"), """
                [default]
                region = us-west-2

                [profile prod]
                region = eu-north-1

                [profile noregion]
                output = json
                """);
        AgentCommand c = new AgentCommand();
        c.profile = profile;
        c.region = region;
        c.environment = new java.util.HashMap<>(moreEnv);
        c.environment.put("AWS_CONFIG_FILE", home.resolve("aws-config").toString());
        c.systemProperties = new Properties();
        c.home = home;
        return c;
    }

    private AgentConfig load(String json) throws Exception {
        Path file = Files.writeString(home.resolve("agent.json"), json);
        return AgentConfig.load(file);
    }

    private static final String NO_REGION = """
            {"flows": [{"filePattern": "/tmp/app.log", "kinesisStream": "logs"}]}""";

    @Test
    void theProfilesRegionAppliesWhenAgentJsonNamesNone() throws Exception {
        assertThat(command("prod", null, Map.of()).withOverrides(load(NO_REGION)).region()).isEqualTo("eu-north-1");
    }

    @Test
    void agentJsonTheRegionFlagAndTheProducersRegionWinOverTheProfile() throws Exception {
        assertThat(command("prod", null, Map.of()).withOverrides(load("""
                {"kinesis.region": "ap-south-1", "flows": [{"filePattern": "/tmp/a.log", "kinesisStream": "s"}]}"""))
                .region()).isEqualTo("ap-south-1");
        assertThat(command("prod", "ca-central-1", Map.of()).withOverrides(load(NO_REGION)).region())
                .isEqualTo("ca-central-1");
        AgentConfig producerRegion = load("""
                {"flows": [{"filePattern": "/tmp/a.log", "kinesisStream": "s"}]}""");
        producerRegion.producer().setProperty("Region", "sa-east-1");
        assertThat(command("prod", null, Map.of()).withOverrides(producerRegion).region()).isNull();
    }

    @Test
    void theEnvironmentsRegionWinsOverTheProfilesAsInTheSdk() throws Exception {
        assertThat(command("prod", null, Map.of("AWS_REGION", "eu-west-3")).withOverrides(load(NO_REGION)).region())
                .isEqualTo("eu-west-3");
    }

    @Test
    void withoutAProfileOrWithOneWithoutARegionTheConfigIsLeftAlone() throws Exception {
        AgentConfig c = load(NO_REGION);
        assertThat(command(null, null, Map.of()).withOverrides(c)).isSameAs(c);
        assertThat(command("noregion", null, Map.of()).withOverrides(c).region()).isNull();
    }
}
