package io.runnel.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.runnel.junit5.OrderPublisher.Order;
import io.runnel.producer.KinesisProducer;
import io.runnel.producer.MockKinesisProducer;
import io.runnel.producer.errors.RecordRejectedException;
import io.runnel.wire.error.ResourceNotFoundException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link OrderPublisher} tested against the embedded backend with the real producer: its records go through
 * aggregation, shard prediction and PutRecords, and are read back as a consumer would. The same tests against
 * {@link MockKinesisProducer} are {@link OrderPublisherTest}.
 */
@EmbeddedKinesis(streams = "orders:2")
class OrderPublisherIT {

    @Test
    void publishesEachOrderKeyedByItsCustomer(EmbeddedKinesisBackend kinesis) {
        try (KinesisProducer producer = kinesis.newProducer()) {
            new OrderPublisher(producer, "orders").publish(List.of(new Order("o-1", "alice", 1250),
                    new Order("o-2", "bob", 99))).join();
        }

        assertThat(kinesis.records("orders")).extracting(ReceivedRecord::stream, ReceivedRecord::partitionKey,
                ReceivedRecord::dataAsString).containsExactlyInAnyOrder(
                tuple("orders", "alice", "{\"id\":\"o-1\",\"customer\":\"alice\",\"cents\":1250}"),
                tuple("orders", "bob", "{\"id\":\"o-2\",\"customer\":\"bob\",\"cents\":99}"));
    }

    @Test
    void aRecordKinesisRefusesFailsThePublication(EmbeddedKinesisBackend kinesis) {
        try (KinesisProducer producer = kinesis.newProducer()) {
            assertThat(new OrderPublisher(producer, "no-such-stream").publish(List.of(new Order("o-1", "alice", 1))))
                    .failsWithin(Duration.ofSeconds(30)).withThrowableThat().havingCause()
                    .isInstanceOf(RecordRejectedException.class)
                    .havingCause().isInstanceOf(ResourceNotFoundException.class);
        }
    }

    @Test
    void whatArrivesIsWhatTheMockWouldHaveKept(EmbeddedKinesisBackend kinesis) {
        kinesis.createStream("orders-compared", 2);
        List<Order> orders = List.of(new Order("o-1", "alice", 1), new Order("o-2", "bob", 2),
                new Order("o-3", "alice", 3));
        MockKinesisProducer mock = new MockKinesisProducer();
        new OrderPublisher(mock, "orders-compared").publish(orders).join();
        try (KinesisProducer producer = kinesis.newProducer()) {
            new OrderPublisher(producer, "orders-compared").publish(orders).join();
        }

        assertThat(kinesis.records("orders-compared")).map(ReceivedRecord::toUserRecord)
                .containsExactlyInAnyOrderElementsOf(mock.records());
    }
}
