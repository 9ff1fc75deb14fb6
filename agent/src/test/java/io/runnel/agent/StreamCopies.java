package io.runnel.agent;

import io.runnel.aggregation.DeaggregatedRecord;
import io.runnel.aggregation.Deaggregator;
import io.runnel.wire.KinesisClient;
import io.runnel.wire.model.GetRecordsRequest;
import io.runnel.wire.model.GetRecordsResponse;
import io.runnel.wire.model.GetShardIteratorRequest;
import io.runnel.wire.model.ListShardsRequest;
import io.runnel.wire.model.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Reads a whole stream back for the agent's tests. */
final class StreamCopies {
    private StreamCopies() {
    }

    /**
     * How many times each user record's data (as UTF-8 text) is in {@code stream}: every shard read from
     * TRIM_HORIZON to its tip, KPL aggregates deaggregated.
     */
    static Map<String, Integer> of(KinesisClient reader, String stream) {
        Map<String, Integer> copies = new HashMap<>();
        for (var shard : reader.listShards(new ListShardsRequest(stream, null, null, null, null, null, null)).join()
                .shards()) {
            String it = reader.getShardIterator(new GetShardIteratorRequest(stream, null, shard.shardId(),
                    "TRIM_HORIZON", null, null)).join().shardIterator();
            while (it != null) {
                GetRecordsResponse r = reader.getRecords(new GetRecordsRequest(it, 10_000, null)).join();
                for (StreamRecord rec : r.records()) {
                    for (DeaggregatedRecord d : Deaggregator.deaggregate(rec.partitionKey(), null, rec.data())) {
                        copies.merge(new String(d.data(), StandardCharsets.UTF_8), 1, Integer::sum);
                    }
                }
                if (r.records().isEmpty()) {
                    break;
                }
                it = r.nextShardIterator();
            }
        }
        return copies;
    }
}
