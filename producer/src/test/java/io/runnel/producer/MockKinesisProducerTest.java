package io.runnel.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.producer.errors.InvalidUserRecordException;
import io.runnel.producer.errors.ProducerClosedException;
import io.runnel.producer.errors.RecordRejectedException;
import org.junit.jupiter.api.Test;

class MockKinesisProducerTest {
    @Test
    void keepsRecordsCompletesFuturesAndFailsOnRequest() {
        MockKinesisProducer mock = new MockKinesisProducer();
        Producer producer = mock;
        UserRecordResult first = producer.addUserRecord("s", "a", new byte[] {1}).join();
        UserRecordResult second = producer.addUserRecord("s", "b", "42", new byte[] {2}).join();
        assertThat(first.successful()).isTrue();
        assertThat(second.sequenceNumber()).isGreaterThan(first.sequenceNumber());
        assertThat(mock.records()).extracting(UserRecord::partitionKey).containsExactly("a", "b");
        mock.failWith(r -> r.partitionKey().equals("bad") ? "ProvisionedThroughputExceededException" : null);
        assertThat(producer.addUserRecord("s", "bad", new byte[0])).isCompletedExceptionally();
        assertThatThrownBy(() -> producer.addUserRecord("s", "bad", new byte[0]).join())
                .hasCauseInstanceOf(RecordRejectedException.class);
        assertThatThrownBy(() -> producer.addUserRecord("s", "", new byte[0]))
                .isInstanceOf(InvalidUserRecordException.class);
        mock.clear();
        assertThat(mock.records()).isEmpty();
        producer.close();
        assertThatThrownBy(() -> producer.addUserRecord("s", "a", new byte[0]))
                .isInstanceOf(ProducerClosedException.class);
    }
}
