package io.runnel.examples;

import io.runnel.aggregation.DeaggregatedRecord;
import io.runnel.aggregation.Deaggregator;
import io.runnel.backend.KinesisBackend;
import io.runnel.producer.KinesisProducer;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * Produce into the bundled backend with Runnel, then read the stream with the AWS SDK v2 as any consumer would, and
 * unpack the KPL aggregated records with Runnel's Deaggregator (the KCL does the same for its record processors).
 */
public final class ReadBackWithTheSdk {
    private ReadBackWithTheSdk() {
    }

    public static void main(String[] args) {
        try (KinesisBackend backend = KinesisBackend.builder().createStream("clicks", 2).start()) {
            try (KinesisProducer producer = new KinesisProducer(ProducerConfig.builder().region("us-east-1")
                    .kinesisEndpointUrl(backend.endpoint().toString()).build(),
                    CredentialsProvider.of(Credentials.of("local", "local")))) {
                for (int i = 0; i < 500; i++) {
                    producer.addUserRecord("clicks", "user-" + (i % 37),
                            ("click " + i).getBytes(StandardCharsets.UTF_8));
                }
                producer.flushSync();
            }
            try (KinesisClient sdk = KinesisClient.builder().endpointOverride(URI.create(backend.endpoint().toString()))
                    .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                    .build()) {
                int kinesisRecords = 0;
                int userRecords = 0;
                for (Shard shard : sdk.listShards(r -> r.streamName("clicks")).shards()) {
                    String it = sdk.getShardIterator(r -> r.streamName("clicks").shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                    GetRecordsResponse page = sdk.getRecords(r -> r.shardIterator(it));
                    for (Record record : page.records()) {
                        kinesisRecords++;
                        for (DeaggregatedRecord user : Deaggregator.deaggregate(record.partitionKey(), null,
                                record.data().asByteArray())) {
                            userRecords++;
                        }
                    }
                }
                System.out.printf("read %d user records in %d Kinesis records with the AWS SDK v2%n", userRecords,
                        kinesisRecords);
                if (userRecords != 500) {
                    throw new IllegalStateException("expected 500 user records, read " + userRecords);
                }
            }
        }
    }
}
