package io.runnel.cli.loadgen;

import java.time.Duration;

/**
 * Sends the records of a load run to a stream and reports each record's outcome to a {@link Tally}. Only the sending
 * thread calls {@link #send} and {@link #finish}; {@link #close} may follow from the same thread.
 */
public interface LoadClient extends AutoCloseable {
    /**
     * Hands over one record. Blocks while the client has as much outstanding as it may (backpressure), never
     * buffering without bound.
     *
     * @param index        the record's index (for the client's bookkeeping)
     * @param partitionKey its partition key
     * @param data         its data (the client may keep the array)
     */
    void send(long index, String partitionKey, byte[] data) throws InterruptedException;

    /**
     * Sends whatever is buffered and waits until every record handed over has an outcome, at most {@code timeout}.
     *
     * @return true when every outcome is known
     */
    boolean finish(Duration timeout) throws InterruptedException;

    /** User records per Kinesis record the client achieved, or null when it does not aggregate. Before close. */
    default Double userRecordsPerKinesisRecord() {
        return null;
    }

    /** What each shard took, as the client counted it (Runnel's producer only), or an empty list. Before close. */
    default java.util.List<io.runnel.producer.ShardStats> shardStats() {
        return java.util.List.of();
    }

    /** Peak resident memory of a native helper process (the KPL's daemon), or null when there is none. */
    default Long daemonPeakRssBytes() {
        return null;
    }

    /** Releases the client's threads and connections. */
    @Override
    void close();
}
