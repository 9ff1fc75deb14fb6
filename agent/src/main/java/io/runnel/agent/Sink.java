package io.runnel.agent;

import java.time.Duration;

/**
 * Where a flow's records go: a Kinesis stream through the producer ({@link KinesisSink}) or a Firehose delivery
 * stream ({@link FirehoseSink}). A sink takes records from the agent's thread and reports each one's fate, exactly
 * once, to the {@link Outcomes} it was made with; the agent moves checkpoints and counts in-flight bytes from those
 * reports, whatever the sink.
 */
interface Sink {
    /** One record on its way: the line it came from (for the checkpoint), its partition key (Kinesis) and bytes. */
    record Outgoing(TrackedFile.Line line, String partitionKey, byte[] data) {
    }

    /** What became of records; called from the sinks' threads. */
    interface Outcomes {
        /** Stored by the service. */
        void delivered(Outgoing record);

        /** Never storable (too large for the service, say): logged by the agent and skipped. */
        void rejected(Outgoing record, String why);

        /** Not stored for now; the agent hands it over again later. */
        void failed(Outgoing record);

        /** Not stored because the sink is closing: the checkpoint stays before it. */
        void abandoned(Outgoing record);

        /** A failed record is being tried again by the sink itself (counted). */
        void retried(Outgoing record);
    }

    /** Hands a record over; may block briefly while the sink is full. Called from the agent's thread only. */
    void put(Outgoing record);

    /** Stops taking records and waits up to {@code timeout} for those in flight; the rest are abandoned. */
    void close(Duration timeout);
}
