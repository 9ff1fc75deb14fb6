package io.runnel.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.producer.KinesisProducer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;

/** Every test method gets a fresh backend whose streams are empty, whatever the methods before it wrote. */
@EmbeddedKinesis(streams = "events:2", lifecycle = EmbeddedKinesis.Lifecycle.PER_METHOD)
class EmbeddedKinesisPerMethodIT {
    /** The backends earlier repetitions saw; by then stopped. */
    private static final List<EmbeddedKinesisBackend> EARLIER = new ArrayList<>();

    private EmbeddedKinesisBackend beforeEach;

    @BeforeEach
    void injectedBeforeEach(EmbeddedKinesisBackend kinesis) {
        beforeEach = kinesis;
    }

    @RepeatedTest(3)
    void eachMethodStartsWithAnEmptyStream(EmbeddedKinesisBackend kinesis) {
        assertThat(kinesis).isSameAs(beforeEach);
        assertThat(EARLIER).doesNotContain(kinesis);
        for (EmbeddedKinesisBackend stopped : EARLIER) {
            assertThatThrownBy(stopped::client).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("stopped");
        }
        assertThat(kinesis.records("events")).isEmpty();

        try (KinesisProducer producer = kinesis.newProducer()) {
            producer.addUserRecord("events", "k", "written".getBytes(StandardCharsets.UTF_8));
            producer.flushSync();
        }
        assertThat(kinesis.dataAsStrings("events")).containsExactly("written");
    }

    @AfterEach
    void injectedAfterEach(EmbeddedKinesisBackend kinesis) {
        assertThat(kinesis).isSameAs(beforeEach);
        EARLIER.add(kinesis);
    }
}
