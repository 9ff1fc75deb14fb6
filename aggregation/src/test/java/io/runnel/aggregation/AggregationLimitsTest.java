package io.runnel.aggregation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AggregationLimitsTest {
    @Test
    void kplDefaults() {
        assertThat(AggregationLimits.KPL_DEFAULTS.maxCount()).isEqualTo(4_294_967_295L);
        assertThat(AggregationLimits.KPL_DEFAULTS.maxSizeBytes()).isEqualTo(51_200);
    }

    @Test
    void boundsAreEnforcedWithTheKplNames() {
        assertThat(new AggregationLimits(1, 64).maxSizeBytes()).isEqualTo(64);
        assertThat(new AggregationLimits(1, 10 * 1024 * 1024).maxSizeBytes()).isEqualTo(10 * 1024 * 1024);
        assertThatThrownBy(() -> new AggregationLimits(0, 1000)).hasMessageContaining("AggregationMaxCount");
        assertThatThrownBy(() -> new AggregationLimits(1, 63)).hasMessageContaining("AggregationMaxSize")
                .hasMessageContaining("63");
        assertThatThrownBy(() -> new AggregationLimits(1, 10 * 1024 * 1024 + 1))
                .hasMessageContaining("AggregationMaxSize");
    }
}
