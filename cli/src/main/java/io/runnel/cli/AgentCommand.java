package io.runnel.cli;

import io.runnel.agent.AgentConfig;
import io.runnel.agent.AgentConfigException;
import io.runnel.agent.AgentMain;
import java.nio.file.Path;
import java.util.Map;
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
        if (endpoint != null || region != null) {
            c = new AgentConfig(c.checkpointFile(), endpoint != null ? endpoint : c.endpoint(), c.firehoseEndpoint(),
                    region != null ? region : c.region(), c.accessKeyId(), c.secretKey(), c.assumeRoleArn(),
                    c.assumeRoleExternalId(), c.stsEndpoint(), c.producer(), c.flows(), c.ignored());
        }
        // The agent closes the chain when it stops (a profile's role or SSO source refreshes on a thread of its own).
        AgentMain.run(c, profile == null ? null : ProfileChain.chain(environment, systemProperties, home, profile));
        return 0;
    }
}
