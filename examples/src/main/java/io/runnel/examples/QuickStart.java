package io.runnel.examples;

import io.runnel.producer.KinesisProducer;
import io.runnel.producer.config.ProducerConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Puts records into a real Kinesis stream: {@code QuickStart <stream> [region]}. Credentials come from the
 * environment or {@code ~/.aws}.
 */
public final class QuickStart {
    private QuickStart() {
    }

    public static void main(String[] args) {
        String stream = args.length > 0 ? args[0] : "my-stream";
        String region = args.length > 1 ? args[1] : "us-east-1";
        ProducerConfig config = ProducerConfig.builder()
                .region(region)
                .recordMaxBufferedTime(Duration.ofMillis(100))
                .build();
        try (KinesisProducer producer = new KinesisProducer(config)) {
            for (int i = 0; i < 1000; i++) {
                String event = "{\"event\":" + i + "}";
                producer.addUserRecord(stream, "user-" + (i % 10), event.getBytes(StandardCharsets.UTF_8))
                        .whenComplete((result, error) -> {
                            if (error != null) {
                                System.err.println("failed: " + error.getMessage());
                            }
                        });
            }
            producer.flushSync();
            System.out.println("put 1000 records into " + stream + ": " + producer.stats());
        }
    }
}
