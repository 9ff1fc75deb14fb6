package io.runnel.junit5;

import io.runnel.backend.KinesisBackend;
import io.runnel.producer.config.ProducerConfig;
import io.runnel.wire.KinesisClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Starts Runnel's bundled Kinesis backend for a test class or method and injects it. Registered by
 * {@link EmbeddedKinesis} (which configures it), or programmatically:
 *
 * <pre>{@code
 * @RegisterExtension
 * static EmbeddedKinesisExtension kinesis = EmbeddedKinesisExtension.builder().stream("orders", 4).build();
 * }</pre>
 *
 * <p>Registered on a static field it follows its {@linkplain Builder#lifecycle lifecycle}; on an instance field
 * JUnit calls it for each test method only, so every method gets a fresh backend.
 *
 * <p>It resolves parameters of these types, in test methods, {@code @BeforeEach}/{@code @AfterEach} methods,
 * constructors and, for {@link EmbeddedKinesis.Lifecycle#PER_CLASS}, {@code @BeforeAll}/{@code @AfterAll} methods:
 * <ul>
 *   <li>{@link EmbeddedKinesisBackend}: the handle (endpoint, region, producer configuration, records read back);
 *   <li>{@link ProducerConfig}: {@link EmbeddedKinesisBackend#producerConfig()};
 *   <li>{@link KinesisClient}: {@link EmbeddedKinesisBackend#client()}, closed with the backend;
 *   <li>{@link KinesisBackend}: {@link EmbeddedKinesisBackend#backend()}.
 * </ul>
 * Everything is torn down on the thread JUnit calls {@code afterAll}/{@code afterEach} on: the producers and client
 * the handle made are closed, then the backend stops. Thread-safe: test classes and methods may run in parallel,
 * each class (or method) with its own backend.
 */
public final class EmbeddedKinesisExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedKinesisExtension.class);
    private static final String KEY = "backend";

    /** Null when registered by {@link EmbeddedKinesis}: the configuration is then read from the annotation. */
    private final EmbeddedKinesisConfig configured;

    /** The extension {@link EmbeddedKinesis} registers; it reads its configuration from the annotation. */
    public EmbeddedKinesisExtension() {
        this(null);
    }

    private EmbeddedKinesisExtension(EmbeddedKinesisConfig configured) {
        this.configured = configured;
    }

    /**
     * Configures an extension to register with {@code @RegisterExtension}.
     *
     * @return a builder: no streams, limits off, {@link EmbeddedKinesis.Lifecycle#PER_CLASS}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * With {@link EmbeddedKinesis.Lifecycle#PER_CLASS}, starts the backend for the test class (a {@code @Nested}
     * class uses its enclosing class's).
     *
     * @param context the test class's context
     * @throws IllegalArgumentException when {@link EmbeddedKinesis#streams()} lists a malformed stream
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        if (config(context).lifecycle() == EmbeddedKinesis.Lifecycle.PER_CLASS) {
            startIn(context);
        }
    }

    /**
     * Starts a backend for the test method unless one is running for its class.
     *
     * @param context the test method's context
     * @throws IllegalArgumentException when {@link EmbeddedKinesis#streams()} lists a malformed stream
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        startIn(context);
    }

    /**
     * Stops the backend started for the test method, if any, after closing what its handle made.
     *
     * @param context the test method's context
     */
    @Override
    public void afterEach(ExtensionContext context) {
        stopIn(context);
    }

    /**
     * Stops the backend started for the test class, if any, after closing what its handle made.
     *
     * @param context the test class's context
     */
    @Override
    public void afterAll(ExtensionContext context) {
        stopIn(context);
    }

    /**
     * Whether the parameter has one of the types this extension injects.
     *
     * @param parameterContext the parameter
     * @param extensionContext the context it is resolved in
     * @return whether it is an {@link EmbeddedKinesisBackend}, {@link ProducerConfig}, {@link KinesisClient} or
     *         {@link KinesisBackend}
     */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == EmbeddedKinesisBackend.class || type == ProducerConfig.class || type == KinesisClient.class
                || type == KinesisBackend.class;
    }

    /**
     * The running backend's handle, or what it provides, for the parameter's type.
     *
     * @param parameterContext the parameter
     * @param extensionContext the context it is resolved in
     * @return the value to inject
     * @throws ParameterResolutionException when no backend runs there: with
     *                                      {@link EmbeddedKinesis.Lifecycle#PER_METHOD}, in a {@code @BeforeAll}
     *                                      or {@code @AfterAll} method, or a constructor called outside a test
     *                                      method's context
     */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        EmbeddedKinesisBackend handle = handleFor(parameterContext, extensionContext);
        Class<?> type = parameterContext.getParameter().getType();
        if (type == ProducerConfig.class) {
            return handle.producerConfig();
        }
        if (type == KinesisClient.class) {
            return handle.client();
        }
        if (type == KinesisBackend.class) {
            return handle.backend();
        }
        return handle;
    }

    private EmbeddedKinesisBackend handleFor(ParameterContext parameter, ExtensionContext context) {
        EmbeddedKinesisBackend running = context.getStore(NAMESPACE).get(KEY, EmbeddedKinesisBackend.class);
        if (running != null) {
            return running;
        }
        // Nothing runs yet: a constructor, called before beforeAll (@TestInstance(PER_CLASS)) or before beforeEach.
        boolean methodContext = context.getTestMethod().isPresent();
        if (methodContext || config(context).lifecycle() == EmbeddedKinesis.Lifecycle.PER_CLASS) {
            return startIn(context);
        }
        throw new ParameterResolutionException("No embedded Kinesis backend for " + parameter.getDeclaringExecutable()
                + ": with lifecycle PER_METHOD a backend runs only around each test method; inject it into the test"
                + " method or a @BeforeEach/@AfterEach method, or use lifecycle PER_CLASS");
    }

    /**
     * The backend of {@code context}, or of an enclosing one; started in {@code context} if there is none. A
     * {@code @Nested} class with its own {@link EmbeddedKinesis} on an enclosing class's backend gets its streams
     * created there.
     *
     * @throws org.junit.platform.commons.PreconditionViolationException when such a nested class asks for other
     *                                                                  limits, or for a stream with another shard
     *                                                                  count, than the shared backend has
     */
    private EmbeddedKinesisBackend startIn(ExtensionContext context) {
        EmbeddedKinesisConfig config = config(context);
        EmbeddedKinesisBackend handle = context.getStore(NAMESPACE).getOrComputeIfAbsent(KEY,
                k -> EmbeddedKinesisBackend.start(config), EmbeddedKinesisBackend.class);
        if (configured == null) {
            try {
                handle.serve(config, context.getTestClass().map(Class::getName).orElse("the test"));
            } catch (IllegalStateException e) {
                throw new org.junit.platform.commons.PreconditionViolationException(e.getMessage());
            }
        }
        return handle;
    }

    private static void stopIn(ExtensionContext context) {
        // remove() only sees this context's own store: an enclosing class's backend stays up.
        EmbeddedKinesisBackend handle = context.getStore(NAMESPACE).remove(KEY, EmbeddedKinesisBackend.class);
        if (handle != null) {
            handle.close();
        }
    }

    private EmbeddedKinesisConfig config(ExtensionContext context) {
        if (configured != null) {
            return configured;
        }
        for (Class<?> c = context.getTestClass().orElse(null); c != null; c = c.getEnclosingClass()) {
            Optional<EmbeddedKinesis> annotation = AnnotationSupport.findAnnotation(c, EmbeddedKinesis.class);
            if (annotation.isPresent()) {
                return EmbeddedKinesisConfig.of(annotation.get());
            }
        }
        return new EmbeddedKinesisConfig(List.of(), false, EmbeddedKinesis.Lifecycle.PER_CLASS);
    }

    /** Configures an {@link EmbeddedKinesisExtension}, as {@link EmbeddedKinesis}'s elements do. Not thread-safe. */
    public static final class Builder {
        private final List<EmbeddedKinesisConfig.StreamSpec> streams = new ArrayList<>();
        private boolean limits;
        private EmbeddedKinesis.Lifecycle lifecycle = EmbeddedKinesis.Lifecycle.PER_CLASS;

        private Builder() {
        }

        /**
         * Creates this provisioned stream with one shard at start.
         *
         * @param name the stream's name, 1 to 128 of {@code [a-zA-Z0-9_.-]}
         * @return this builder
         * @throws IllegalArgumentException when the name is malformed
         */
        public Builder stream(String name) {
            return stream(name, 1);
        }

        /**
         * Creates this provisioned stream at start.
         *
         * @param name   the stream's name, 1 to 128 of {@code [a-zA-Z0-9_.-]}
         * @param shards its number of shards, at least 1
         * @return this builder
         * @throws IllegalArgumentException when the name is malformed or {@code shards} is below 1
         */
        public Builder stream(String name, int shards) {
            streams.add(new EmbeddedKinesisConfig.StreamSpec(name, shards));
            return this;
        }

        /**
         * Whether the backend enforces Kinesis' per-shard limits (default: off); see {@link EmbeddedKinesis#limits()}.
         *
         * @param enabled whether the limits apply
         * @return this builder
         */
        public Builder limits(boolean enabled) {
            this.limits = enabled;
            return this;
        }

        /**
         * How long one backend lives (default {@link EmbeddedKinesis.Lifecycle#PER_CLASS}); on an instance field
         * every test method gets its own whatever this says.
         *
         * @param lifecycle the backend's lifecycle
         * @return this builder
         */
        public Builder lifecycle(EmbeddedKinesis.Lifecycle lifecycle) {
            this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
            return this;
        }

        /**
         * The extension, to assign to a {@code @RegisterExtension} field.
         *
         * @return the configured extension
         * @throws IllegalArgumentException when a stream is listed twice
         */
        public EmbeddedKinesisExtension build() {
            return new EmbeddedKinesisExtension(new EmbeddedKinesisConfig(streams, limits, lifecycle));
        }
    }
}
