package io.runnel.cli.loadgen;

import io.runnel.wire.KinesisClient;
import io.runnel.wire.error.ResourceInUseException;
import io.runnel.wire.error.ResourceNotFoundException;
import io.runnel.wire.model.CreateStreamRequest;
import io.runnel.wire.model.DescribeStreamSummaryRequest;
import io.runnel.wire.model.StreamDescriptionSummary;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Makes sure a stream exists and is ACTIVE before a run. */
public final class StreamSetup {
    private static final Duration POLL = Duration.ofMillis(250);

    private final KinesisClient client;

    /**
     * Setup through a client.
     *
     * @param client the client (owned by the caller)
     */
    public StreamSetup(KinesisClient client) {
        this.client = client;
    }

    /**
     * What {@link #ensureActive} found or did.
     *
     * @param created    whether this call created the stream
     * @param openShards the stream's open shards once ACTIVE
     */
    public record Outcome(boolean created, int openShards) {
    }

    /**
     * Creates {@code stream} with {@code shards} shards unless it exists, then waits until it is ACTIVE.
     *
     * @param stream  the stream's name
     * @param shards  the shards to create it with (not used when it exists)
     * @param timeout how long to wait for ACTIVE
     * @return whether it was created, and its open shards
     * @throws InterruptedException  when the thread is interrupted while it waits
     * @throws IllegalStateException when it is not ACTIVE within {@code timeout}
     */
    public Outcome ensureActive(String stream, int shards, Duration timeout) throws InterruptedException {
        boolean created = false;
        StreamDescriptionSummary summary = describe(stream);
        if (summary == null) {
            try {
                Calls.await(client.createStream(new CreateStreamRequest(stream, shards, null, null, null, null)));
                created = true;
            } catch (ResourceInUseException e) {
                // Created by someone else meanwhile: fine.
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            summary = describe(stream);
            if (summary != null && "ACTIVE".equals(summary.streamStatus())) {
                return new Outcome(created, summary.openShardCount());
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("stream " + stream + " is not ACTIVE after " + timeout.toSeconds()
                        + " s (status " + (summary == null ? "missing" : summary.streamStatus()) + ")");
            }
            TimeUnit.NANOSECONDS.sleep(POLL.toNanos());
        }
    }

    private StreamDescriptionSummary describe(String stream) {
        try {
            return Calls.await(client.describeStreamSummary(new DescribeStreamSummaryRequest(stream, null)))
                    .streamDescriptionSummary();
        } catch (ResourceNotFoundException e) {
            return null;
        }
    }
}
