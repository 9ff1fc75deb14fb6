/**
 * A log-tailing agent in the manner of the Amazon Kinesis Agent, reading its {@code agent.json}: {@link
 * io.runnel.agent.Agent} tails each flow's files and sends their lines to a Kinesis stream (through Runnel's producer)
 * or a Firehose delivery stream, checkpointing each file only past what was acknowledged. {@link
 * io.runnel.agent.AgentConfig} reads and checks the configuration, {@link io.runnel.agent.AgentMain} runs the agent
 * until the JVM stops. Public types here are API; the rest of the package is not.
 */
package io.runnel.agent;
