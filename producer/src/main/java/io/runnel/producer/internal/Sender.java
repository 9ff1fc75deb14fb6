package io.runnel.producer.internal;

import io.runnel.wire.KinesisClient;
import io.runnel.wire.PutRecordsEntries;
import io.runnel.wire.model.PutRecordsResponse;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The sender stage: PutRecords requests go out from their own thread ({@code runnel-sender}), which encodes and signs
 * them (a request's worth of CPU the pipeline thread does not spend); their answers come back to the pipeline thread.
 * Keeps count of the requests in flight and what is in them, for the pipeline thread.
 */
final class Sender {
    /** What the pipeline does with an answer, on the pipeline thread: exactly one of response and error is null. */
    interface Answers {
        void answered(StreamState stream, List<KinesisRecord> batch, PutRecordsResponse response, Throwable error,
                long startNanos, long endNanos);
    }

    private final KinesisClient client;
    private final Clock clock;
    private final Consumer<Runnable> onPipelineThread;
    private final Answers answers;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "runnel-sender");
        t.setDaemon(true);
        return t;
    });
    // pipeline thread only
    private int inFlight;
    private final Set<List<KinesisRecord>> inFlightBatches = Collections.newSetFromMap(new IdentityHashMap<>());

    /**
     * @param onPipelineThread runs a task on the pipeline thread
     * @param answers          takes each request's answer there, after its records' lanes are free again
     */
    Sender(KinesisClient client, Clock clock, Consumer<Runnable> onPipelineThread, Answers answers) {
        this.client = client;
        this.clock = clock;
        this.onPipelineThread = onPipelineThread;
        this.answers = answers;
    }

    /** Pipeline thread: sends {@code batch} of {@code stream} as one PutRecords request. */
    void send(StreamState stream, List<KinesisRecord> batch) {
        Entries entries = new Entries(batch);
        inFlight++;
        inFlightBatches.add(batch);
        long start = clock.nanoTime();
        try {
            thread.execute(() -> put(stream, batch, entries, start));
        } catch (RejectedExecutionException closed) {
            put(stream, batch, entries, start);
        }
    }

    /**
     * A request's records as the pipeline thread saw them when it sent them: the sender thread reads these arrays,
     * never the Kinesis records (confined to the pipeline thread). The pipeline releases a record's array only once
     * the request's answer is back, after the client has encoded the request.
     */
    private static final class Entries implements PutRecordsEntries {
        private final byte[][] data;
        private final int[] lengths;
        private final String[] partitionKeys;
        private final String[] explicitHashKeys;

        Entries(List<KinesisRecord> batch) {
            int n = batch.size();
            data = new byte[n][];
            lengths = new int[n];
            partitionKeys = new String[n];
            explicitHashKeys = new String[n];
            for (int i = 0; i < n; i++) {
                KinesisRecord kr = batch.get(i);
                data[i] = kr.data();
                lengths[i] = kr.dataLength();
                partitionKeys[i] = kr.partitionKey();
                explicitHashKeys[i] = kr.explicitHashKey();
            }
        }

        @Override
        public int size() {
            return data.length;
        }

        @Override
        public byte[] dataArray(int i) {
            return data[i];
        }

        @Override
        public int dataOffset(int i) {
            return 0;
        }

        @Override
        public int dataLength(int i) {
            return lengths[i];
        }

        @Override
        public String partitionKey(int i) {
            return partitionKeys[i];
        }

        @Override
        public String explicitHashKey(int i) {
            return explicitHashKeys[i];
        }
    }

    /** On the sender thread: the request goes out; its answer comes back to the pipeline thread. */
    private void put(StreamState stream, List<KinesisRecord> batch, PutRecordsEntries entries, long start) {
        CompletableFuture<PutRecordsResponse> call;
        try {
            call = client.putRecords(stream.name, null, entries);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((response, error) -> {
            long end = clock.nanoTime();
            onPipelineThread.accept(() -> {
                inFlight--;
                inFlightBatches.remove(batch);
                for (KinesisRecord kr : batch) {
                    stream.lanesInFlight.removeOne(kr.shardId(), kr.lane());
                }
                answers.answered(stream, batch, response, error, start, end);
            });
        });
    }

    /** Pipeline thread: requests sent and not answered yet. */
    int inFlight() {
        return inFlight;
    }

    /** Pipeline thread: calls {@code action} for every Kinesis record in a request in flight. */
    void forEachInFlight(Consumer<KinesisRecord> action) {
        inFlightBatches.forEach(batch -> batch.forEach(action));
    }

    /** No request goes out from the sender thread any more; those sent later go from the caller's. */
    void shutdown() {
        thread.shutdown();
    }
}
