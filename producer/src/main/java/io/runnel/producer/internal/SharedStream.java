package io.runnel.producer.internal;

import io.runnel.wire.KinesisClient;
import io.runnel.wire.model.DescribeStreamSummaryRequest;
import io.runnel.wire.model.DescribeStreamSummaryResponse;
import java.util.concurrent.CompletableFuture;

/**
 * What the pipeline threads share of one stream: its {@link Limiter} (a shard has one rate whichever threads send its
 * records), its {@link ShardMap} (concurrent refreshes share one ListShards) and its DescribeStreamSummary call
 * (concurrent ones share one). Each thread still keeps its own view of the answers in its {@link StreamState}; sharing
 * the calls keeps several threads from multiplying them against the service's per-account and per-stream call limits
 * (DescribeStreamSummary: 20 per second per account). Thread-safe.
 */
final class SharedStream {
    final Limiter limiter;
    final ShardMap map;
    private final KinesisClient client;
    private final String name;
    private final SharedCall<DescribeStreamSummaryResponse> describing = new SharedCall<>();

    SharedStream(String name, KinesisClient client, long rateLimitPercent) {
        this.name = name;
        this.client = client;
        // Until DescribeStreamSummary says otherwise, records are at most 1 MiB (the default MaxRecordSizeInKiB).
        this.limiter = new Limiter(rateLimitPercent, Limiter.SHARD_BYTES_PER_SECOND);
        this.map = new ShardMap(name, client);
    }

    /** DescribeStreamSummary of the stream; a call already in flight is shared. */
    CompletableFuture<DescribeStreamSummaryResponse> describe() {
        return describing.join(() -> client.describeStreamSummary(new DescribeStreamSummaryRequest(name, null)));
    }
}
