package io.runnel.producer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BufferAccountingTest {
    @Test
    void anAggregatedRecordCountsItsDataAndKeyTwiceAndItsBookkeeping() {
        assertThat(KinesisProducer.budgetBytes(100, "pk-1", true))
                .isEqualTo(2 * (100 + 4) + KinesisProducer.RECORD_OVERHEAD_BYTES);
    }

    @Test
    void aRecordSentAloneCountsItsDataAndKeyOnce() {
        assertThat(KinesisProducer.budgetBytes(100, "pk-1", false)).isEqualTo(104 + KinesisProducer.RECORD_OVERHEAD_BYTES);
        assertThat(KinesisProducer.budgetBytes(0, null, false)).isEqualTo(KinesisProducer.RECORD_OVERHEAD_BYTES);
    }
}
