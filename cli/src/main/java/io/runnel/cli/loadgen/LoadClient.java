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
     * @throws InterruptedException when the thread is interrupted while it waits
     */
    void send(long index, String partitionKey, byte[] data) throws InterruptedException;

    /**
     * Sends whatever is buffered and waits until every record handed over has an outcome, at most {@code timeout}.
     *
     * @param timeout how long to wait at most
     * @return true when every outcome is known
     * @throws InterruptedException when the thread is interrupted while it waits
     */
    boolean finish(Duration timeout) throws InterruptedException;

    /**
     * {@return the user records per Kinesis record the client achieved, or null when it does not aggregate} Call it
     * before close.
     */
    default Double userRecordsPerKinesisRecord() {
        return null;
    }

    /**
     * {@return what each shard took, as the client counted it (Runnel's producer only), or an empty list} Call it
     * before close.
     */
    default java.util.List<io.runnel.producer.ShardStats> shardStats() {
        return java.util.List.of();
    }

    /** {@return the peak resident memory in bytes of a native helper process (the KPL's daemon), or null if none} */
    default Long daemonPeakRssBytes() {
        return null;
    }

    /** {@return the CPU time in nanoseconds a native helper process (the KPL's daemon) used so far, or -1 if none} */
    default long daemonCpuNanos() {
        return -1;
    }

    /** Releases the client's threads and connections. */
    @Override
    void close();
}
