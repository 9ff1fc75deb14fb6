package io.runnel.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordValidationTest {

    @Test
    void partitionKeyReturnsItsUtf8Length() {
        assertThat(RecordValidation.checkPartitionKey("abc")).isEqualTo(3);
        assertThat(RecordValidation.checkPartitionKey("é")).isEqualTo(2);
        assertThat(RecordValidation.checkPartitionKey("✓")).isEqualTo(3);
        assertThat(RecordValidation.checkPartitionKey("😀")).isEqualTo(4);
    }

    @Test
    void partitionKeyOf256CharsIsAcceptedAnd257Rejected() {
        assertThat(RecordValidation.checkPartitionKey("k".repeat(256))).isEqualTo(256);
        assertThatThrownBy(() -> RecordValidation.checkPartitionKey("k".repeat(257)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("PartitionKey")
                .hasMessageContaining("257 chars")
                .hasMessageContaining("(257 chars)");
    }

    @Test
    void nullEmptyAndUnpairedSurrogateKeysAreRejected() {
        assertThatThrownBy(() -> RecordValidation.checkPartitionKey(null)).hasMessageContaining("must not be null");
        assertThatThrownBy(() -> RecordValidation.checkPartitionKey("")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> RecordValidation.checkPartitionKey("ab\uD800c"))
                .hasMessageContaining("unpaired surrogate at index 2");
        assertThatThrownBy(() -> RecordValidation.checkPartitionKey("\uDC00"))
                .hasMessageContaining("unpaired surrogate at index 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "42", "170141183460469231731687303715884105728",
        "340282366920938463463374607431768211455", "99999999999999999999999999999999999999"})
    void validExplicitHashKeys(String key) {
        assertThatCode(() -> RecordValidation.checkExplicitHashKey(key)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "+1", " 1", "1 ", "1.0", "0x10", "007", "00",
        "340282366920938463463374607431768211456", "1000000000000000000000000000000000000000", "١٢"})
    void invalidExplicitHashKeys(String key) {
        assertThatThrownBy(() -> RecordValidation.checkExplicitHashKey(key))
                .isInstanceOfSatisfying(InvalidRecordException.class,
                        e -> assertThat(e.field()).isEqualTo(InvalidRecordException.Field.EXPLICIT_HASH_KEY))
                .hasMessageStartingWith("ExplicitHashKey: ");
    }
}
