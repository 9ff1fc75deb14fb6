package io.runnel.backend.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions the store's tests share. */
final class StoreAssertions {
    private StoreAssertions() {
    }

    /** {@code call} is refused with a {@link StoreException} of {@code code} whose message has {@code messagePart}. */
    static void assertRefused(ThrowingCallable call, String code, String messagePart) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.errorCode()).isEqualTo(code)).hasMessageContaining(messagePart);
    }
}
