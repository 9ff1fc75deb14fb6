package io.runnel.agent;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the agent until the JVM is asked to stop (SIGTERM, Ctrl-C): {@code AgentMain CONFIG.json}. {@code ./runnel agent}
 * is the usual way in; this entry point needs no CLI on the class path.
 */
public final class AgentMain {
    private AgentMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: AgentMain CONFIG.json");
            System.exit(2);
        }
        run(AgentConfig.load(Path.of(args[0])));
    }

    /** Starts the agent and blocks until shutdown, then stops it cleanly (checkpoints written). */
    public static void run(AgentConfig config) throws InterruptedException {
        run(config, null);
    }

    /**
     * As {@link #run(AgentConfig)}, with {@code chain} (null: the default chain) where the file gives no keys; the
     * agent closes it when it stops.
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
