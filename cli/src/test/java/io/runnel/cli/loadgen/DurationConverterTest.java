package io.runnel.cli.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {
    @Test
    void unitsAndIsoDurations() {
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationConverter.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationConverter.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationConverter.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(DurationConverter.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void badValuesAreNamed() {
        assertThatThrownBy(() -> DurationConverter.parse("30")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("'30' needs a unit");
        assertThatThrownBy(() -> DurationConverter.parse("xs")).hasMessageContaining("'xs' is not a duration");
        assertThatThrownBy(() -> DurationConverter.parse("0s")).hasMessageContaining("longer than zero");
        assertThatThrownBy(() -> DurationConverter.parse("-5s")).hasMessageContaining("longer than zero");
    }
}
