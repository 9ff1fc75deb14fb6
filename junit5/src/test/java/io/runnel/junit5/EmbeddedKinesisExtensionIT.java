package io.runnel.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.wire.model.ListShardsRequest;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The other ways to register and use the extension, and how it fails when used wrongly. Each case is a small test
 * class run here with the JUnit Platform launcher (static nested classes: the build's own test run skips them).
 */
class EmbeddedKinesisExtensionIT {
    /** What the nested classes saw, for the assertions here; each run clears it. */
    static final List<Object> SEEN = new ArrayList<>();

    private static TestExecutionSummary run(Class<?> testClass) {
        SEEN.clear();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(testClass)).build(), listener);
        return listener.getSummary();
    }

    private static List<Throwable> failures(TestExecutionSummary summary) {
        return summary.getFailures().stream().map(TestExecutionSummary.Failure::getException).toList();
    }

    static class StaticField {
        @RegisterExtension
        static EmbeddedKinesisExtension kinesis = EmbeddedKinesisExtension.builder().stream("clicks", 3).build();

        @Test
        void first(EmbeddedKinesisBackend backend) {
            SEEN.add(backend);
            SEEN.add(backend.client().listShards(new ListShardsRequest("clicks", null, null, null, null, null, null))
                    .join().shards().size());
        }

        @Test
        void second(EmbeddedKinesisBackend backend) {
            SEEN.add(backend);
        }
    }

    @Test
    void aStaticRegisterExtensionFieldSharesOneBackendAcrossTheClass() {
        TestExecutionSummary summary = run(StaticField.class);
        assertThat(failures(summary)).isEmpty();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
        assertThat(SEEN).contains(3).filteredOn(EmbeddedKinesisBackend.class::isInstance).hasSize(2)
                .containsOnly(SEEN.get(0));
    }

    static class InstanceField {
        @RegisterExtension
        EmbeddedKinesisExtension kinesis = EmbeddedKinesisExtension.builder().stream("clicks").build();

        @Test
        void first(EmbeddedKinesisBackend backend) {
            SEEN.add(backend);
        }

        @Test
        void second(EmbeddedKinesisBackend backend) {
            SEEN.add(backend);
        }
    }

    @Test
    void anInstanceRegisterExtensionFieldGivesEachMethodItsOwnBackend() {
        TestExecutionSummary summary = run(InstanceField.class);
        assertThat(failures(summary)).isEmpty();
        assertThat(SEEN).hasSize(2).doesNotHaveDuplicates();
    }

    @EmbeddedKinesis(streams = "clicks")
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    static class ConstructorWithPerClassInstance {
        private final EmbeddedKinesisBackend constructed;

        ConstructorWithPerClassInstance(EmbeddedKinesisBackend kinesis) {
            this.constructed = kinesis;
        }

        @BeforeAll
        void nonStaticBeforeAll(EmbeddedKinesisBackend kinesis) {
            SEEN.add(kinesis == constructed);
        }

        @Test
        void test(EmbeddedKinesisBackend kinesis) {
            SEEN.add(kinesis == constructed);
            SEEN.add(kinesis.records("clicks").size());
        }
    }

    @Test
    void aConstructorGetsTheClasssBackendEvenWhenJUnitMakesTheInstanceFirst() {
        TestExecutionSummary summary = run(ConstructorWithPerClassInstance.class);
        assertThat(failures(summary)).isEmpty();
        assertThat(SEEN).containsExactly(true, true, 0);
    }

    @EmbeddedKinesis(streams = "clicks", lifecycle = EmbeddedKinesis.Lifecycle.PER_METHOD)
    static class PerMethodInjectedIntoBeforeAll {
        @BeforeAll
        static void tooEarly(EmbeddedKinesisBackend kinesis) {
            SEEN.add(kinesis);
        }

        @Test
        void test() {
        }
    }

    @Test
    void perMethodBackendsCannotBeInjectedBeforeAll() {
        TestExecutionSummary summary = run(PerMethodInjectedIntoBeforeAll.class);
        assertThat(SEEN).isEmpty();
        assertThat(failures(summary)).singleElement(InstanceOfAssertFactories.THROWABLE).isInstanceOf(ParameterResolutionException.class)
                .hasMessageContaining("PER_METHOD").hasMessageContaining("tooEarly");
    }

    @EmbeddedKinesis(streams = "clicks:many")
    static class MalformedStream {
        @Test
        void test() {
            SEEN.add("ran");
        }
    }

    @Test
    void aMalformedStreamFailsTheClassBeforeItsTestsRun() {
        TestExecutionSummary summary = run(MalformedStream.class);
        assertThat(SEEN).isEmpty();
        assertThat(failures(summary)).singleElement(InstanceOfAssertFactories.THROWABLE).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clicks:many");
    }

    @EmbeddedKinesis(streams = "clicks:2")
    static class NestedAskingForOtherShards {
        @org.junit.jupiter.api.Nested
        @EmbeddedKinesis(streams = "clicks:3")
        class Inner {
            @Test
            void test() {
                SEEN.add("ran");
            }
        }
    }

    @Test
    void aNestedClassAskingForAStreamTheSharedBackendHasOtherwiseFailsClearly() {
        TestExecutionSummary summary = run(NestedAskingForOtherShards.class);
        assertThat(SEEN).isEmpty();
        assertThat(failures(summary)).singleElement(InstanceOfAssertFactories.THROWABLE)
                .hasMessageContaining("clicks with 3 shards").hasMessageContaining("2 open shards");
    }

    @EmbeddedKinesis(streams = "clicks")
    static class NestedAskingForLimits {
        @org.junit.jupiter.api.Nested
        @EmbeddedKinesis(streams = "more", limits = true)
        class Inner {
            @Test
            void test() {
                SEEN.add("ran");
            }
        }
    }

    @Test
    void aNestedClassAskingForOtherLimitsFailsClearly() {
        TestExecutionSummary summary = run(NestedAskingForLimits.class);
        assertThat(SEEN).isEmpty();
        assertThat(failures(summary)).singleElement(InstanceOfAssertFactories.THROWABLE)
                .hasMessageContaining("limits = true").hasMessageContaining("limits = false");
    }
}
