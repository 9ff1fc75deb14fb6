package io.runnel.junit5;

import io.runnel.producer.Producer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * An example of application code under test: publishes orders as JSON to a stream, keyed by customer so that each
 * customer's orders stay on one shard. It depends on the {@link Producer} interface, so a test can hand it a
 * {@link io.runnel.producer.MockKinesisProducer} (see {@link OrderPublisherTest}) or a real producer writing to the
 * embedded backend (see {@link OrderPublisherIT}).
 */
final class OrderPublisher {
    /** An order. */
    record Order(String id, String customer, long cents) {
    }

    private final Producer producer;
    private final String stream;

    OrderPublisher(Producer producer, String stream) {
        this.producer = Objects.requireNonNull(producer, "producer");
        this.stream = Objects.requireNonNull(stream, "stream");
    }

    /** Publishes every order; the future completes when all are stored, or fails with the first failure. */
    CompletableFuture<Void> publish(List<Order> orders) {
        return CompletableFuture.allOf(orders.stream()
                .map(o -> producer.addUserRecord(stream, o.customer(), toJson(o).getBytes(StandardCharsets.UTF_8)))
                .toArray(CompletableFuture[]::new));
    }

    static String toJson(Order o) {
        return "{\"id\":\"" + o.id() + "\",\"customer\":\"" + o.customer() + "\",\"cents\":" + o.cents() + "}";
    }
}
