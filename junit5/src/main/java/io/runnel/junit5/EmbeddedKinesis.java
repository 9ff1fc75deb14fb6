package io.runnel.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against Runnel's bundled Kinesis backend, started in the test's JVM: in memory, on a
 * free port of 127.0.0.1, with {@link #streams()} created and ACTIVE before the first test (or {@code @BeforeAll} /
 * {@code @BeforeEach} method) runs. Test methods, {@code @BeforeEach}/{@code @AfterEach} methods, constructors and
 * (with {@link Lifecycle#PER_CLASS}) {@code @BeforeAll}/{@code @AfterAll} methods declare a parameter of type
 * {@link EmbeddedKinesisBackend} to get the handle; see {@link EmbeddedKinesisExtension} for the other types it
 * injects.
 *
 * <pre>{@code
 * @EmbeddedKinesis(streams = {"orders:4", "logs"}, lifecycle = EmbeddedKinesis.Lifecycle.PER_METHOD)
 * class OrdersTest {
 *     @Test
 *     void sends(EmbeddedKinesisBackend kinesis) { ... }
 * }
 * }</pre>
 *
 * <p>{@code @Nested} classes share their enclosing class's backend; one with its own annotation gets its streams
 * created there (it must ask for the same limits, and for a stream both name, the same shard count; otherwise the
 * class fails). Test classes running in parallel each get their own backend.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(EmbeddedKinesisExtension.class)
public @interface EmbeddedKinesis {

    /**
     * The provisioned streams to create, each {@code name} (one shard) or {@code name:shards}, e.g.
     * {@code {"orders:4", "logs"}}. Names follow Kinesis' rules (1 to 128 of {@code [a-zA-Z0-9_.-]}). A malformed
     * entry fails the test class before it starts, with an {@link IllegalArgumentException}.
     *
     * @return the streams to create
     */
    String[] streams() default {};

    /**
     * Whether the backend enforces Kinesis' per-shard limits (1 MiB and 1,000 records per second written, 5 reads
     * per second), throttling with {@code ProvisionedThroughputExceededException} as Kinesis does. Off by default:
     * tests of business logic should not depend on throughput.
     *
     * @return whether the per-shard limits apply
     */
    boolean limits() default false;

    /**
     * How long one backend lives.
     *
     * @return the backend's lifecycle
     */
    Lifecycle lifecycle() default Lifecycle.PER_CLASS;

    /** How long one backend lives, and so which tests see each other's records. */
    enum Lifecycle {
        /** One backend for the whole test class: started before all its tests, stopped after them. */
        PER_CLASS,
        /** A fresh backend, with empty streams, for every test method: started before it, stopped after it. */
        PER_METHOD
    }
}
