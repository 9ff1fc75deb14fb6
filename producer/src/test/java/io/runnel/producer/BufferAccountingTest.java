package io.runnel.producer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BufferAccountingTest {
    @Test
    void anAggregatedRecordCountsItsDataAndKeyTwiceAndItsBookkeeping() {
        assertThat(KinesisProducer.budgetBytes(100, "pk-1", 51_200))
                .isEqualTo(2 * (100 + 4) + KinesisProducer.RECORD_OVERHEAD_BYTES);
    }

    @Test
    void aRecordSentAloneCountsItsDataAndKeyOnce() {
        assertThat(KinesisProducer.budgetBytes(100, "pk-1", 0)).isEqualTo(104 + KinesisProducer.RECORD_OVERHEAD_BYTES);
        assertThat(KinesisProducer.budgetBytes(0, null, 0)).isEqualTo(KinesisProducer.RECORD_OVERHEAD_BYTES);
        // too large for an aggregate: sent alone, never copied
        assertThat(KinesisProducer.budgetBytes(100_000, "k", 51_200))
                .isEqualTo(100_001 + KinesisProducer.RECORD_OVERHEAD_BYTES);
    }
}
