package io.runnel.producer.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One call at a time: while one is in flight, asking again joins it rather than making another. Its failure comes
 * unwrapped (not as a CompletionException). Thread-safe.
 */
final class SharedCall<T> {
    private final AtomicReference<CompletableFuture<T>> inFlight = new AtomicReference<>();

    /** The call in flight, or a new one that {@code start} makes (a RuntimeException it throws fails it). */
    CompletableFuture<T> join(Supplier<CompletableFuture<T>> start) {
        CompletableFuture<T> mine = new CompletableFuture<>();
        CompletableFuture<T> running = inFlight.compareAndExchange(null, mine);
        if (running != null) {
            return running;
        }
        CompletableFuture<T> call;
        try {
            call = start.get();
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((value, error) -> {
            inFlight.set(null); // before completing: whoever the answer wakes may start the next call
            if (error != null) {
                mine.completeExceptionally(error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error);
            } else {
                mine.complete(value);
            }
        });
        return mine;
    }
}
