package io.runnel.agent;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the agent until the JVM is asked to stop (SIGTERM, Ctrl-C): {@code AgentMain CONFIG.json}.
 * {@code ./runnel agent} is the usual way in; this entry point needs no CLI on the class path.
 */
public final class AgentMain {
    private AgentMain() {
    }

    /**
     * Loads the configuration file named by the one argument and runs the agent with it (see
     * {@link #run(AgentConfig)}); exits with status 2 and a usage line when there is not exactly one argument.
     *
     * @param args the configuration file's path
     * @throws AgentConfigException when the file is not readable JSON or not a valid configuration
     * @throws InterruptedException when the main thread is interrupted while the agent runs
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: AgentMain CONFIG.json");
            System.exit(2);
        }
        run(AgentConfig.load(Path.of(args[0])));
    }

    /**
     * Starts the agent and blocks until the JVM shuts down; a shutdown hook (thread {@code runnel-agent-shutdown})
     * then stops it cleanly, as {@link Agent#close()} does (checkpoints written). Credentials: the file's keys, else
     * the default chain.
     *
     * @param config the configuration
     * @throws AgentConfigException when the agent cannot be made from {@code config} (an endpoint, the region, the
     *                              role to assume)
     * @throws io.runnel.producer.errors.ProducerException when the producer settings are not valid (a
     *                              {@link io.runnel.producer.errors.ConfigException}) or no region is set for a
     *                              Kinesis flow
     * @throws java.io.UncheckedIOException when the checkpoint file exists but cannot be read
     * @throws InterruptedException when the calling thread is interrupted while the agent runs (the agent keeps
     *                              running until shutdown)
     */
    public static void run(AgentConfig config) throws InterruptedException {
        run(config, null);
    }

    /**
     * As {@link #run(AgentConfig)}, with {@code chain} (null: the default chain) where the file gives no keys; the
     * agent closes it when it stops.
     *
     * @param config the configuration
     * @param chain  the credentials used when the file gives no keys (owned by the agent from here on), or null
     * @throws AgentConfigException when the agent cannot be made from {@code config} (an endpoint, the region, the
     *                              role to assume)
     * @throws io.runnel.producer.errors.ProducerException when the producer settings are not valid or no region is
     *                              set for a Kinesis flow
     * @throws java.io.UncheckedIOException when the checkpoint file exists but cannot be read
     * @throws InterruptedException when the calling thread is interrupted while the agent runs (the agent keeps
     *                              running until shutdown)
     */
    public static void run(AgentConfig config, io.runnel.wire.auth.CredentialsProvider chain)
            throws InterruptedException {
        Agent agent = new Agent(config, null, chain);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "runnel-agent-shutdown"));
        agent.start();
        System.out.println("agent running: " + config.flows().size() + " flows, checkpoints in "
                + config.checkpointFile());
        stopped.await();
    }
}
