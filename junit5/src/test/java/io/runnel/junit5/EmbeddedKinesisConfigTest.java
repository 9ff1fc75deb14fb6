package io.runnel.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.junit5.EmbeddedKinesisConfig.StreamSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedKinesisConfigTest {

    @Test
    void aStreamWithoutAShardCountGetsOneShard() {
        assertThat(StreamSpec.parse("logs")).isEqualTo(new StreamSpec("logs", 1));
        assertThat(StreamSpec.parse("orders:4")).isEqualTo(new StreamSpec("orders", 4));
    }

    @Test
    void malformedStreamsAreRefusedWithTheirSpec() {
        assertThatThrownBy(() -> StreamSpec.parse("orders:four")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("orders:four");
        assertThatThrownBy(() -> StreamSpec.parse("orders:0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 shard");
        assertThatThrownBy(() -> StreamSpec.parse("or ders")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stream name");
        assertThatThrownBy(() -> StreamSpec.parse(":2")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStreamListedTwiceIsRefused() {
        assertThatThrownBy(() -> new EmbeddedKinesisConfig(List.of(new StreamSpec("a", 1), new StreamSpec("a", 2)),
                false, EmbeddedKinesis.Lifecycle.PER_CLASS)).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> EmbeddedKinesisExtension.builder().stream("a").stream("a", 3).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @EmbeddedKinesis(streams = {"orders:4", "logs"}, limits = true, lifecycle = EmbeddedKinesis.Lifecycle.PER_METHOD)
    private static final class Annotated {
    }

    @Test
    void theAnnotationsElementsBecomeTheConfiguration() {
        EmbeddedKinesisConfig config = EmbeddedKinesisConfig.of(Annotated.class.getAnnotation(EmbeddedKinesis.class));
        assertThat(config).isEqualTo(new EmbeddedKinesisConfig(
                List.of(new StreamSpec("orders", 4), new StreamSpec("logs", 1)), true,
                EmbeddedKinesis.Lifecycle.PER_METHOD));
    }
}
