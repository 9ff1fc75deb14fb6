package io.runnel.cli.loadgen;

import io.runnel.wire.error.KinesisTransportException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for one control-plane or read call with a timeout, rethrowing its own exception. */
final class Calls {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Calls() {
    }

    /**
     * The call's result.
     *
     * @throws RuntimeException          the call's own exception (a KinesisException for service errors)
     * @throws KinesisTransportException when it does not answer within {@link #TIMEOUT} or the thread is interrupted
     */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new KinesisTransportException(KinesisTransportException.Kind.MALFORMED_RESPONSE,
                    "call failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new KinesisTransportException(KinesisTransportException.Kind.REQUEST_TIMEOUT, "no answer within "
                    + TIMEOUT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KinesisTransportException(KinesisTransportException.Kind.CLIENT_CLOSED, "interrupted", e);
        }
    }

    /** Calls in a row that may fail with a retryable error (throttling, a reset connection) before one gives up. */
    static final int MAX_RETRIES = 100;

    /**
     * {@link #await} of {@code call}, made again after a retryable failure (throttling, 5xx, a connection reset —
     * a reader through a faulty network must not fail the run), up to {@link #MAX_RETRIES} times with a growing
     * pause.
     */
    static <T> T awaitRetrying(java.util.function.Supplier<CompletableFuture<T>> call) throws InterruptedException {
        return awaitRetrying(call, e -> { });
    }

    /** As {@link #awaitRetrying(java.util.function.Supplier)}, telling {@code beforeRetry} each failure retried. */
    static <T> T awaitRetrying(java.util.function.Supplier<CompletableFuture<T>> call,
            java.util.function.Consumer<io.runnel.wire.error.KinesisException> beforeRetry)
            throws InterruptedException {
        for (int failures = 0;; failures++) {
            try {
                return await(call.get());
            } catch (io.runnel.wire.error.KinesisException e) {
                if (!e.isRetryable() || failures >= MAX_RETRIES) {
                    throw e;
                }
                beforeRetry.accept(e);
                TimeUnit.MILLISECONDS.sleep(Math.min(1000, 50L * (failures + 1)));
            }
        }
    }
}
