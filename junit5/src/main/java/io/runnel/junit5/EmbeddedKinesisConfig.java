package io.runnel.junit5;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What one embedded backend is started with: from {@link EmbeddedKinesis} or {@link EmbeddedKinesisExtension.Builder}.
 *
 * @param streams   the streams to create, names distinct
 * @param limits    whether per-shard limits apply
 * @param lifecycle how long one backend lives
 */
record EmbeddedKinesisConfig(List<StreamSpec> streams, boolean limits, EmbeddedKinesis.Lifecycle lifecycle) {
    private static final Pattern STREAM_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");

    EmbeddedKinesisConfig {
        streams = List.copyOf(streams);
        Objects.requireNonNull(lifecycle, "lifecycle");
        Set<String> names = new LinkedHashSet<>();
        for (StreamSpec s : streams) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException("stream " + s.name() + " is listed twice");
            }
        }
    }

    static EmbeddedKinesisConfig of(EmbeddedKinesis annotation) {
        List<StreamSpec> streams = new ArrayList<>();
        for (String s : annotation.streams()) {
            streams.add(StreamSpec.parse(s));
        }
        return new EmbeddedKinesisConfig(streams, annotation.limits(), annotation.lifecycle());
    }

    /**
     * A stream to create.
     *
     * @param name   its name
     * @param shards its shard count, at least 1
     */
    record StreamSpec(String name, int shards) {
        StreamSpec {
            if (name == null || !STREAM_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("stream name must be 1 to 128 of [a-zA-Z0-9_.-], was " + name);
            }
            if (shards < 1) {
                throw new IllegalArgumentException("stream " + name + " needs at least 1 shard, was " + shards);
            }
        }

        /** {@code name} (one shard) or {@code name:shards}. */
        static StreamSpec parse(String spec) {
            Objects.requireNonNull(spec, "stream");
            int colon = spec.lastIndexOf(':');
            if (colon < 0) {
                return new StreamSpec(spec, 1);
            }
            String count = spec.substring(colon + 1);
            try {
                return new StreamSpec(spec.substring(0, colon), Integer.parseInt(count));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("stream \"" + spec + "\" must be NAME or NAME:SHARDS, "
                        + "and " + count + " is not a number of shards", e);
            }
        }
    }
}
