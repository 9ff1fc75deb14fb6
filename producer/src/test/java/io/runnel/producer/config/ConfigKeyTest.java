package io.runnel.producer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigKeyTest {
    @Test
    void parsesEachKindAndNamesWhatIsWrong() {
        assertThat(ConfigKeys.AGGREGATION_ENABLED.parse(" TRUE ")).isTrue();
        assertThatThrownBy(() -> ConfigKeys.AGGREGATION_ENABLED.parse("yes")).hasMessage("must be true or false");
        assertThat(ConfigKeys.RECORD_TTL.parse("100")).isEqualTo(100L);
        assertThatThrownBy(() -> ConfigKeys.RECORD_TTL.parse("99")).hasMessage("must be in 100 … 2^63-1 ms");
        assertThatThrownBy(() -> ConfigKeys.RECORD_TTL.parse("1e3")).hasMessage("must be a whole number");
        assertThat(ConfigKeys.METRICS_LEVEL.parse("summary")).isEqualTo("SUMMARY");
        assertThat(ConfigKeys.REGION.parse(" eu-west-1 ")).isEqualTo("eu-west-1");
        assertThat(ConfigKeys.COLLECTION_MAX_COUNT.range()).isEqualTo("1 … 500");
    }

    @Test
    void everyDefaultIsValidAndEveryNameUnique() {
        Set<String> names = new HashSet<>();
        for (ConfigKey<?> k : ConfigKeys.ALL) {
            assertThat(names.add(k.name())).as(k.name()).isTrue();
            assertThat(check(k)).as(k.name()).isNull();
            assertThat(ConfigKeys.byName(k.name())).isSameAs(k);
            assertThat(k.doc()).as(k.name()).isNotBlank();
        }
        assertThat(ConfigKeys.byName("recordttl")).isNull();
    }

    private static <T> String check(ConfigKey<T> k) {
        return k.check(k.defaultValue());
    }
}
