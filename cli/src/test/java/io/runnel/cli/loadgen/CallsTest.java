package io.runnel.cli.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.wire.error.KinesisTransportException;
import io.runnel.wire.error.ResourceNotFoundException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallsTest {
    @Test
    void aResetConnectionIsCalledAgainAndAnErrorThatCannotHealIsNot() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String answer = Calls.awaitRetrying(() -> calls.incrementAndGet() <= 2
                ? CompletableFuture.failedFuture(new KinesisTransportException(
                        KinesisTransportException.Kind.CONNECTION_CLOSED, "Connection reset"))
                : CompletableFuture.completedFuture("records"));
        assertThat(answer).isEqualTo("records");
        assertThat(calls).hasValue(3);

        calls.set(0);
        assertThatThrownBy(() -> Calls.awaitRetrying(() -> {
            calls.incrementAndGet();
            return CompletableFuture.failedFuture(new ResourceNotFoundException("no such stream", 400, "req-1"));
        })).isInstanceOf(ResourceNotFoundException.class);
        assertThat(calls).hasValue(1);
    }
}
