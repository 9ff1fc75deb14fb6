package io.runnel.cli;

import io.runnel.agent.AgentConfig;
import io.runnel.agent.AgentConfigException;
import io.runnel.agent.AgentMain;
import java.nio.file.Path;
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

    @Override
    public Integer call() throws Exception {
        AgentConfig c;
        try {
            c = AgentConfig.load(config);
        } catch (AgentConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 2;
        }
        if (endpoint != null || region != null) {
            c = new AgentConfig(c.checkpointFile(), endpoint != null ? endpoint : c.endpoint(), c.firehoseEndpoint(),
                    region != null ? region : c.region(), c.accessKeyId(), c.secretKey(), c.producer(), c.flows(),
                    c.ignored());
        }
        AgentMain.run(c);
        return 0;
    }
}
