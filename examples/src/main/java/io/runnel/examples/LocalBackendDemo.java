package io.runnel.examples;

import io.runnel.aggregation.Deaggregator;
import io.runnel.backend.KinesisBackend;
import io.runnel.producer.KinesisProducer;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.wire.Endpoint;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.model.GetRecordsRequest;
import io.runnel.wire.model.GetShardIteratorRequest;
import io.runnel.wire.model.ListShardsRequest;
import java.nio.charset.StandardCharsets;

/** The embedded backend as a test double: start it, produce into it, read back what arrived. */
public final class LocalBackendDemo {
    private LocalBackendDemo() {
    }

    public static void main(String[] args) {
        CredentialsProvider local = CredentialsProvider.of(Credentials.of("local", "local"));
        try (KinesisBackend backend = KinesisBackend.builder().createStream("orders", 2).start()) {
            ProducerConfig config = ProducerConfig.builder().region("us-east-1")
                    .kinesisEndpointUrl(backend.endpoint().toString()).build();
            try (KinesisProducer producer = new KinesisProducer(config, local)) {
                for (int i = 0; i < 100; i++) {
                    producer.addUserRecord("orders", "order-" + i, ("order " + i).getBytes(StandardCharsets.UTF_8));
                }
                producer.flushSync();
            }
            try (NettyKinesisClient kinesis = NettyKinesisClient.builder()
                    .endpoint(Endpoint.of(backend.endpoint(), "us-east-1")).credentialsProvider(local).build()) {
                int count = 0;
                for (var shard : kinesis.listShards(new ListShardsRequest("orders", null, null, null, null, null,
                        null)).join().shards()) {
                    String it = kinesis.getShardIterator(new GetShardIteratorRequest("orders", null, shard.shardId(),
                            "TRIM_HORIZON", null, null)).join().shardIterator();
                    for (var r : kinesis.getRecords(new GetRecordsRequest(it, 1000, null)).join().records()) {
                        count += Deaggregator.deaggregate(r.partitionKey(), null, r.data()).size();
                    }
                }
                System.out.println("read back " + count + " of 100 records");
            }
        }
    }
}
