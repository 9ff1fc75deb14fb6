package io.runnel.wire.cloudwatch;

import java.util.Objects;

/**
 * One name/value pair that identifies a metric, e.g. {@code StreamName=clicks}. Immutable.
 *
 * @param name  1-255 characters
 * @param value 1-1024 characters
 */
public record Dimension(String name, String value) {
    /**
     * Checks the lengths.
     *
     * @param name  1-255 characters
     * @param value 1-1024 characters
     * @throws NullPointerException     when either is null
     * @throws IllegalArgumentException when a length is outside the API's limits
     */
    public Dimension {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty() || name.length() > 255) {
            throw new IllegalArgumentException("Dimension name must be 1-255 characters, was " + name.length());
        }
        if (value.isEmpty() || value.length() > 1024) {
            throw new IllegalArgumentException("Dimension " + name + ": value must be 1-1024 characters, was "
                    + value.length());
        }
    }
}
