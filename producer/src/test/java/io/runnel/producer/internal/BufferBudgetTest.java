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
    void tellsWhetherACallerWaitsForRoomButNotOneThatWaitsForItsKeyOrDoesNotWait() throws Exception {
        BufferBudget b = new BufferBudget(100);
        assertThat(b.reserve(90, 0)).isTrue();
        assertThat(b.reserve(20, 0)).as("BackpressurePolicy FAIL: refused at once").isFalse();
        assertThat(b.callersWaitForRoom()).isFalse();
        b.holdKeys(java.util.Map.of("s", java.util.List.of(io.runnel.wire.HashKeyRange.ALL)));
        CompletableFuture<Boolean> heldKey = reserveAsync(b, 5, "s");
        Thread.sleep(50); // not a time assertion: only gives the caller a moment to start waiting
        assertThat(b.callersWaitForRoom()).as("the budget has room: it waits for its key only").isFalse();
        CompletableFuture<Boolean> forRoom = reserveAsync(b, 20, "other");
        while (!b.callersWaitForRoom()) {
            Thread.sleep(1);
        }
        b.release(90);
        assertThat(forRoom.get(60, TimeUnit.SECONDS)).isTrue();
        assertThat(b.callersWaitForRoom()).isFalse();
        b.holdKeys(java.util.Map.of());
        assertThat(heldKey.get(60, TimeUnit.SECONDS)).isTrue();
        assertThat(b.callersWaitForRoom()).isFalse();
    }

    private static CompletableFuture<Boolean> reserveAsync(BufferBudget b, long bytes, String stream) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return b.reserve(bytes, TimeUnit.MINUTES.toNanos(1), stream, io.runnel.wire.HashKey.ONE);
            } catch (InterruptedException e) {
                return false;
            }
        });
    }

    @Test
    void aRecordLargerThanTheBudgetPassesWhenNothingElseIsHeld() throws Exception {
        BufferBudget b = new BufferBudget(10);
        assertThat(b.reserve(50, 0)).isTrue();
        assertThat(b.reserve(1, 0)).isFalse();
    }

    @Test
    void heldKeysHoldOnlyTheirRecords() throws Exception {
        BufferBudget b = new BufferBudget(1_000);
        assertThat(b.reserve(10, 0)).isTrue(); // something in use: holds apply
        io.runnel.wire.HashKey half = io.runnel.wire.HashKey.MAX.divide(2);
        b.holdKeys(java.util.Map.of("s", java.util.List.of(new io.runnel.wire.HashKeyRange(
                io.runnel.wire.HashKey.ZERO, half))));
        assertThat(b.holdsKeysOf("s")).isTrue();
        assertThat(b.reserve(10, 0, "s", io.runnel.wire.HashKey.ONE)).isFalse();
        assertThat(b.reserve(10, 0, "s", io.runnel.wire.HashKey.MAX)).isTrue();
        assertThat(b.reserve(10, 0, "s", null)).as("a key not worked out waits").isFalse();
        assertThat(b.reserve(10, 0, "other", io.runnel.wire.HashKey.ONE)).isTrue();
        b.holdKeys(java.util.Map.of());
        assertThat(b.reserve(10, 0, "s", io.runnel.wire.HashKey.ONE)).isTrue();
    }

    @Test
    void manyCallersAndReleasersNeverOverfillItAndNoneIsLeftWaiting() throws Exception {
        BufferBudget b = new BufferBudget(1_000);
        int threads = 4;
        int perThread = 20_000;
        java.util.concurrent.atomic.AtomicLong over = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.BlockingQueue<Long> taken = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread releaser = new Thread(() -> {
            try {
                for (int n = 0; n < threads * perThread; n++) {
                    b.release(taken.take());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        releaser.start();
        java.util.List<Thread> callers = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread c = new Thread(() -> {
                for (int n = 0; n < perThread; n++) {
                    long bytes = 1 + (n % 300);
                    try {
                        if (!b.reserve(bytes, TimeUnit.MINUTES.toNanos(5))) {
                            throw new AssertionError("no room within 5 minutes");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    if (b.used() > 1_000) {
                        over.incrementAndGet();
                    }
                    taken.add(bytes);
                }
            });
            callers.add(c);
            c.start();
        }
        for (Thread c : callers) {
            c.join(TimeUnit.MINUTES.toMillis(10));
            assertThat(c.isAlive()).as("a caller still waits").isFalse();
        }
        releaser.join(TimeUnit.MINUTES.toMillis(10));
        assertThat(releaser.isAlive()).isFalse();
        assertThat(over.get()).isZero();
        assertThat(b.used()).isZero();
    }
}
