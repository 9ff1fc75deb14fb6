package io.runnel.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.runnel.junit5.OrderPublisher.Order;
import io.runnel.producer.MockKinesisProducer;
import io.runnel.producer.UserRecord;
import io.runnel.producer.errors.RecordRejectedException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link OrderPublisher} tested against {@link MockKinesisProducer}: fast, no network, but nothing is sent. The same
 * tests against the embedded backend are {@link OrderPublisherIT}.
 */
class OrderPublisherTest {
    private final MockKinesisProducer producer = new MockKinesisProducer();

    @Test
    void publishesEachOrderKeyedByItsCustomer() {
        new OrderPublisher(producer, "orders").publish(List.of(new Order("o-1", "alice", 1250),
                new Order("o-2", "bob", 99))).join();

        assertThat(producer.records()).extracting(UserRecord::stream, UserRecord::partitionKey,
                r -> new String(r.data(), StandardCharsets.UTF_8)).containsExactly(
                tuple("orders", "alice", "{\"id\":\"o-1\",\"customer\":\"alice\",\"cents\":1250}"),
                tuple("orders", "bob", "{\"id\":\"o-2\",\"customer\":\"bob\",\"cents\":99}"));
    }

    @Test
    void aRecordKinesisRefusesFailsThePublication() {
        producer.failWith(r -> "ResourceNotFoundException");

        assertThat(new OrderPublisher(producer, "orders").publish(List.of(new Order("o-1", "alice", 1))))
                .failsWithin(java.time.Duration.ZERO).withThrowableThat().havingCause()
                .isInstanceOf(RecordRejectedException.class);
    }

    @Test
    void theMockKeepsWhatTheApplicationAdded() {
        new OrderPublisher(producer, "orders").publish(List.of(new Order("o-1", "alice", 1))).join();
        assertThat(producer.records()).singleElement().isEqualTo(new UserRecord("orders", "alice", null,
                OrderPublisher.toJson(new Order("o-1", "alice", 1)).getBytes(StandardCharsets.UTF_8)));
    }
}
