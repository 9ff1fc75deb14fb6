package io.runnel.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.producer.UserRecordResult;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PendingUserRecordTest {
    private static PendingUserRecord record(long arrivalNanos) {
        return PendingUserRecord.create("s", "k", null, new byte[] {1}, arrivalNanos, 30_000_000_000L, 300);
    }

    @Test
    void itWasAddedWhenItsCallStartedWaitingForRoomAndItsTtlCountsFromItsArrival() {
        assertThat(record(5_000_000_000L).addedAtNanos()).isEqualTo(5_000_000_000L); // no wait: on arrival
        PendingUserRecord waited = record(5_000_000_000L).withWait(1_500_000_999L);
        assertThat(waited.addedAtNanos()).isEqualTo(3_500_000_000L); // whole microseconds of the wait (999 ns less)
        assertThat(waited.expiryNanos).isEqualTo(35_000_000_000L);
        // a wait longer than an int of microseconds (~36 min) is counted as that much; a negative one as none
        assertThat(record(0).withWait(Long.MAX_VALUE).addedAtNanos()).isEqualTo(-Integer.MAX_VALUE * 1000L);
        assertThat(record(7).withWait(-5).addedAtNanos()).isEqualTo(7);
    }

    @Test
    void theResultItsCallbackGetsCarriesWhenItWasAdded() {
        AtomicReference<UserRecordResult> seen = new AtomicReference<>();
        PendingUserRecord r = record(5_000_000_000L).withWait(2_000_000_000L)
                .withCallback((result, error) -> seen.set(result));
        assertThat(r.claimDelivered(new PendingUserRecord.Delivery("shardId-000000000000", "49", 5_100_000_000L,
                5_300_000_000L), 0)).isTrue();
        r.completeFuture();
        assertThat(seen.get().addedAtNanos()).isEqualTo(3_000_000_000L);
        assertThat(seen.get().attempts()).hasSize(1);
        assertThat(seen.get().lastAttempt().delay().toMillis()).as("from its arrival").isEqualTo(100);
    }
}
