package io.runnel.benchmarks;

import io.runnel.wire.Endpoint;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.Protocol;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.model.CreateStreamRequest;
import io.runnel.wire.model.DescribeStreamSummaryRequest;
import io.runnel.wire.model.PutRecordsRequest;
import io.runnel.wire.model.PutRecordsRequestEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How many records per second a Kinesis endpoint ingests through PutRecords (500 records of 100 bytes per request,
 * a fixed number in flight), measured with Runnel's client so that two endpoints compare with the same client:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.runnel.benchmarks.PutRecordsIngest URL JSON|CBOR SECONDS IN_FLIGHT
 * </pre>
 *
 * Creates a 4-shard stream "ingest" when missing; reports the rate after a 2 s warm-up and the first error, if any.
 */
public final class PutRecordsIngest {
    private PutRecordsIngest() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: PutRecordsIngest URL JSON|CBOR SECONDS IN_FLIGHT");
            System.exit(2);
        }
        String url = args[0];
        Protocol protocol = Protocol.valueOf(args[1]);
        long seconds = Long.parseLong(args[2]);
        int inFlight = Integer.parseInt(args[3]);
        try (NettyKinesisClient client = NettyKinesisClient.builder().endpoint(Endpoint.of(url, "us-east-1"))
                .protocol(protocol).credentialsProvider(CredentialsProvider.of(Credentials.of("local", "local")))
                .requestTimeout(Duration.ofSeconds(30)).build()) {
            String stream = "ingest";
            try {
                client.createStream(new CreateStreamRequest(stream, 4, null, null, null, null)).join();
            } catch (RuntimeException exists) {
                // already there
            }
            while (!"ACTIVE".equals(client.describeStreamSummary(new DescribeStreamSummaryRequest(stream, null)).join()
                    .streamDescriptionSummary().streamStatus())) {
                Thread.sleep(100);
            }
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                entries.add(new PutRecordsRequestEntry(new byte[100], null, "pk-" + i));
            }
            PutRecordsRequest request = new PutRecordsRequest(stream, null, entries);
            AtomicLong ok = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            AtomicReference<Throwable> firstError = new AtomicReference<>();
            Semaphore slots = new Semaphore(inFlight);
            long start = System.nanoTime();
            long warmUpEnd = start + 2_000_000_000L;
            long end = start + seconds * 1_000_000_000L;
            long okAtWarmUp = -1;
            long warmUpNanos = 0;
            while (System.nanoTime() < end) {
                slots.acquire();
                if (okAtWarmUp < 0 && System.nanoTime() >= warmUpEnd) {
                    okAtWarmUp = ok.get();
                    warmUpNanos = System.nanoTime();
                }
                client.putRecords(request).whenComplete((r, e) -> {
                    if (e != null) {
                        firstError.compareAndSet(null, e);
                        failed.addAndGet(500);
                    } else {
                        ok.addAndGet(500 - r.failedRecordCount());
                        failed.addAndGet(r.failedRecordCount());
                    }
                    slots.release();
                });
            }
            slots.acquire(inFlight);
            double measured = (System.nanoTime() - warmUpNanos) / 1e9;
            System.out.printf("%s %s: %.0f records/s ok over %.1f s (%d ok, %d failed in all)%n", url, protocol,
                    (ok.get() - Math.max(0, okAtWarmUp)) / measured, measured, ok.get(), failed.get());
            if (firstError.get() != null) {
                System.out.println("first error: " + firstError.get());
            }
        }
    }
}
