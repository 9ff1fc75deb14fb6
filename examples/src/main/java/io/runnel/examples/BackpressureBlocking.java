package io.runnel.examples;

import io.runnel.backend.KinesisBackend;
import io.runnel.producer.KinesisProducer;
import io.runnel.producer.config.ConfigKeys;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;

/**
 * Bounded memory: with MaxBufferedBytes small and BackpressurePolicy BLOCK, addUserRecord waits for room instead of
 * letting the buffer grow — here against a backend that enforces Kinesis' 1 MiB/s per shard.
 */
public final class BackpressureBlocking {
    private BackpressureBlocking() {
    }

    public static void main(String[] args) {
        try (KinesisBackend backend = KinesisBackend.builder().createStream("slow", 1).start()) {
            ProducerConfig config = ProducerConfig.builder().region("us-east-1")
                    .kinesisEndpointUrl(backend.endpoint().toString())
                    .set(ConfigKeys.MAX_BUFFERED_BYTES, 2L * 1024 * 1024)
                    .set(ConfigKeys.BACKPRESSURE_POLICY, "BLOCK")
                    .set(ConfigKeys.MAX_BLOCK_MS, 30_000L)
                    .build();
            try (KinesisProducer producer = new KinesisProducer(config,
                    CredentialsProvider.of(Credentials.of("local", "local")))) {
                byte[] data = new byte[10_000];
                long start = System.nanoTime();
                for (int i = 0; i < 500; i++) { // 5 MB into a 1 MiB/s shard through a 2 MiB buffer
                    producer.addUserRecord("slow", "k" + i, data);
                }
                producer.flushSync();
                System.out.printf("5 MB through a 2 MiB buffer in %.1f s: %s%n", (System.nanoTime() - start) / 1e9,
                        producer.stats());
            }
        }
    }
}
