package io.runnel.examples;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runnel.backend.KinesisBackend;
import io.runnel.producer.KinesisProducer;
import io.runnel.producer.UserRecordResult;
import io.runnel.producer.config.ConfigKeys;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.producer.errors.InvalidUserRecordException;
import io.runnel.producer.errors.RecordExpiredException;
import io.runnel.producer.errors.RecordRejectedException;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The KPL's metrics in a Micrometer registry, and what an application does with each kind of failure: a record the
 * producer refuses at once, one that fails at once because waiting cannot help (a stream that does not exist), one
 * that expires after RecordTtl because every attempt failed (an endpoint nobody answers) — each with its cause.
 */
public final class MetricsAndFailures {
    private MetricsAndFailures() {
    }

    /** Prints how a record failed, with the error that made it fail (its cause). */
    private static void report(CompletableFuture<UserRecordResult> f) {
        try {
            f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RecordExpiredException expired) {
                System.out.println("expired after " + expired.result().attempts().size() + " attempts: "
                        + expired.getMessage() + " (cause: " + expired.getCause() + ")");
            } else if (e.getCause() instanceof RecordRejectedException rejected) {
                System.out.println("rejected: " + rejected.getMessage() + " (cause: " + rejected.getCause() + ")");
            } else {
                throw e;
            }
        }
    }

    public static void main(String[] args) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (KinesisBackend backend = KinesisBackend.builder().createStream("events", 2).start()) {
            ProducerConfig config = ProducerConfig.builder().region("us-east-1")
                    .kinesisEndpointUrl(backend.endpoint().toString())
                    .recordTtl(Duration.ofSeconds(2)) // short, so the expiry below shows quickly
                    .set(ConfigKeys.METRICS_LEVEL, "DETAILED").set(ConfigKeys.METRICS_GRANULARITY, "STREAM")
                    .build();
            try (KinesisProducer producer = new KinesisProducer(config,
                    CredentialsProvider.of(Credentials.of("local", "local")), registry)) {
                List<CompletableFuture<UserRecordResult>> futures = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    futures.add(producer.addUserRecord("events", "device-" + (i % 20),
                            ("reading " + i).getBytes(StandardCharsets.UTF_8)));
                }
                try {
                    producer.addUserRecord("events", "k".repeat(300), new byte[1]); // refused at once
                } catch (InvalidUserRecordException e) {
                    System.out.println("refused at once: " + e.getMessage());
                }
                futures.add(producer.addUserRecord("no-such-stream", "k", new byte[1])); // fails at once: no wait helps
                futures.forEach(MetricsAndFailures::report);
            }
            // Nothing listens on port 1: every attempt fails to connect (that may heal), until RecordTtl runs out.
            try (KinesisProducer unreachable = new KinesisProducer(config.toBuilder()
                    .kinesisEndpointUrl("http://127.0.0.1:1").build(), CredentialsProvider.of(
                            Credentials.of("local", "local")))) {
                report(unreachable.addUserRecord("events", "k", new byte[1])); // expires after RecordTtl
            }
        }
        for (Meter meter : registry.getMeters()) {
            String name = meter.getId().getName();
            if (name.startsWith("UserRecords") || name.startsWith("KinesisRecords") || name.equals("AllErrors")) {
                System.out.printf("%-40s %s%n", name + meter.getId().getTags(), meter.measure());
            }
        }
    }
}
