package io.runnel.cli;

import io.runnel.agent.AgentConfig;
import io.runnel.agent.AgentConfigException;
import io.runnel.agent.AgentMain;
import io.runnel.producer.config.ConfigKeys;
import io.runnel.wire.auth.AwsEnvironment;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code runnel agent}: tails log files into streams, as configured in a Kinesis Agent style agent.json. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Tails log files into Kinesis streams (through Runnel's producer) and Firehose delivery streams"
            + " (until SIGTERM or Ctrl-C).", "The config follows the Amazon Kinesis Agent's agent.json: flows of"
            + " filePattern -> kinesisStream or deliveryStream."})
public final class AgentCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "agent.json", description = "The agent configuration.")
    Path config;

    @Option(names = "--endpoint", paramLabel = "URL", description = "Kinesis endpoint (overrides kinesis.endpoint), "
            + "e.g. http://127.0.0.1:4567 for the bundled backend.")
    String endpoint;

    @Option(names = "--region", description = "Region (overrides kinesis.region).")
    String region;

    @Option(names = "--profile", paramLabel = "NAME", description = "Sign with this profile's credentials (as "
            + "AWS_PROFILE would); with assumeRoleARN, the role is assumed with them. Not with awsAccessKeyId.")
    String profile;

    // The process's environment, system properties and home; tests pass their own.
    Map<String, String> environment = System.getenv();
    Properties systemProperties = System.getProperties();
    Path home = Path.of(System.getProperty("user.home"));

    @Override
    public Integer call() throws Exception {
        AgentConfig c;
        try {
            c = AgentConfig.load(config);
        } catch (AgentConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 2;
        }
        if (profile != null && c.accessKeyId() != null) {
            spec.commandLine().getErr().println("--profile " + profile + ": " + config + " gives awsAccessKeyId;"
                    + " use one or the other");
            return 2;
        }
        c = withOverrides(c);
        // The agent closes the chain when it stops (a profile's role or SSO source refreshes on a thread of its own).
        AgentMain.run(c, profile == null ? null : ProfileChain.chain(environment, systemProperties, home, profile));
        return 0;
    }

    /**
     * {@code c} with {@code --endpoint} and {@code --region}; with {@code --profile} and no region anywhere else
     * ({@code --region}, {@code kinesis.region}, the producer's Region), the region the environment gives with that
     * profile ({@code aws.region}, {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, else the profile's {@code region}),
     * as loadgen does. Without one, the producer's own chain decides (the instance metadata included).
     */
    AgentConfig withOverrides(AgentConfig c) {
        String effectiveRegion = region != null ? region : c.region();
        if (effectiveRegion == null && profile != null
                && c.producer().getProperty(ConfigKeys.REGION.name(), "").isEmpty()) {
            Map<String, String> env = ProfileChain.environment(environment, profile);
            env.put("AWS_EC2_METADATA_DISABLED", "true"); // the profile's region or none; not the metadata service
            AwsEnvironment.Setting fromProfile = new AwsEnvironment(env, systemProperties, home).region();
            effectiveRegion = fromProfile == null ? null : fromProfile.value();
        }
        if (endpoint == null && Objects.equals(effectiveRegion, c.region())) {
            return c;
        }
        return new AgentConfig(c.checkpointFile(), endpoint != null ? endpoint : c.endpoint(), c.firehoseEndpoint(),
                effectiveRegion, c.accessKeyId(), c.secretKey(), c.assumeRoleArn(), c.assumeRoleExternalId(),
                c.stsEndpoint(), c.producer(), c.flows(), c.ignored(), c.emitMetrics(), c.cloudwatchEndpoint(),
                c.cloudwatchNamespace(), c.checkpointIntervalMillis());
    }
}
