package io.runnel.producer.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BufferBudgetTest {
    @Test
    void reservesUpToCapacityAndWaitsForReleases() throws Exception {
        BufferBudget b = new BufferBudget(100);
        assertThat(b.reserve(60, 0)).isTrue();
        assertThat(b.reserve(60, 0)).isFalse();
        assertThat(b.reserve(40, 0)).isTrue();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return b.reserve(50, TimeUnit.SECONDS.toNanos(10));
            } catch (InterruptedException e) {
                return false;
            }
        });
        b.release(60);
        assertThat(waiting.get(60, TimeUnit.SECONDS)).isTrue();
        assertThat(b.used()).isEqualTo(90);
    }

    @Test
    void aRecordLargerThanTheBudgetPassesWhenNothingElseIsHeld() throws Exception {
        BufferBudget b = new BufferBudget(10);
        assertThat(b.reserve(50, 0)).isTrue();
        assertThat(b.reserve(1, 0)).isFalse();
    }
}
