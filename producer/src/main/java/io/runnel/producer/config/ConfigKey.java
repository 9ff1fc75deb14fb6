package io.runnel.producer.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One producer property: its name (the KPL's spelling), type, default, accepted values, documentation, and how far
 * Runnel supports it. Immutable; declared once in {@link ConfigKeys}.
 *
 * @param <T> Boolean, Long or String (choices are upper-case strings)
 */
public final class ConfigKey<T> {
    /** How Runnel treats a property. */
    public enum Support {
        /** Implemented. */
        SUPPORTED,
        /** Only meaningful for the KPL's native daemon; refused unless IgnoreUnknownProperties=true. */
        NATIVE_ONLY
    }

    private final String name;
    private final Class<T> type;
    private final T defaultValue;
    private final String range;
    private final String doc;
    private final Support support;
    private final Function<String, T> parser;
    private final Function<T, String> validator; // null: valid, else the problem

    private ConfigKey(String name, Class<T> type, T defaultValue, String range, String doc, Support support,
            Function<String, T> parser, Function<T, String> validator) {
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.range = range;
        this.doc = doc;
        this.support = support;
        this.parser = parser;
        this.validator = validator;
    }

    /** A boolean property ({@code true}/{@code false}, any case). */
    static ConfigKey<Boolean> bool(String name, boolean defaultValue, String doc) {
        return new ConfigKey<>(name, Boolean.class, defaultValue, "true, false", doc, Support.SUPPORTED, s -> {
            String t = s.trim().toLowerCase(Locale.ROOT);
            if (!t.equals("true") && !t.equals("false")) {
                throw new IllegalArgumentException("must be true or false");
            }
            return Boolean.valueOf(t);
        }, v -> null);
    }

    /** A whole number in {@code [min, max]}. */
    static ConfigKey<Long> number(String name, long defaultValue, long min, long max, String unit, String doc) {
        String range = min + " … " + (max == Long.MAX_VALUE ? "2^63-1" : Long.toString(max))
                + (unit.isEmpty() ? "" : " " + unit);
        return new ConfigKey<>(name, Long.class, defaultValue, range, doc, Support.SUPPORTED, s -> {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a whole number");
            }
        }, v -> v < min || v > max ? "must be in " + range : null);
    }

    /** A free-form string. */
    static ConfigKey<String> string(String name, String defaultValue, String doc) {
        return new ConfigKey<>(name, String.class, defaultValue, "text", doc, Support.SUPPORTED, String::trim,
                v -> null);
    }

    /** A string that {@code validator} accepts (it returns null, else the problem). */
    static ConfigKey<String> string(String name, String defaultValue, String range, String doc,
            Function<String, String> validator) {
        return new ConfigKey<>(name, String.class, defaultValue, range, doc, Support.SUPPORTED, String::trim,
                validator);
    }

    /** One of a fixed set of values, matched ignoring case and stored in upper case. */
    static ConfigKey<String> choice(String name, String defaultValue, String doc, String... values) {
        List<String> allowed = Arrays.asList(values);
        return new ConfigKey<>(name, String.class, defaultValue, String.join(", ", values), doc, Support.SUPPORTED,
                s -> s.trim().toUpperCase(Locale.ROOT),
                v -> allowed.stream().anyMatch(a -> a.equalsIgnoreCase(v)) ? null
                        : "must be one of " + String.join(", ", values));
    }

    /** The same key with another support level. */
    ConfigKey<T> support(Support s) {
        return new ConfigKey<>(name, type, defaultValue, range, doc, s, parser, validator);
    }

    /** {@return the property's name, as the KPL spells it ({@code AggregationMaxSize})} */
    public String name() {
        return name;
    }

    /** {@return the type of its values: {@code Boolean}, {@code Long} or {@code String}} */
    public Class<T> type() {
        return type;
    }

    /** {@return the value a configuration has when the property is not set} */
    public T defaultValue() {
        return defaultValue;
    }

    /** {@return the accepted values, for documentation ({@code 1 … 500}, {@code BLOCK, FAIL})} */
    public String range() {
        return range;
    }

    /** {@return what the property does, one or two sentences (the docs table's last column)} */
    public String doc() {
        return doc;
    }

    /** {@return how far Runnel acts on the property} */
    public Support support() {
        return support;
    }

    /**
     * Parses a property-file value and checks it against the accepted values.
     *
     * @param raw the value as written in the file (surrounding blanks are ignored)
     * @return the value
     * @throws IllegalArgumentException saying what is wrong (without the name)
     * @throws NullPointerException     when {@code raw} is null
     */
    public T parse(String raw) {
        Objects.requireNonNull(raw, "raw");
        T value = parser.apply(raw);
        String problem = check(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return value;
    }

    /**
     * Checks a value against the accepted values.
     *
     * @param value a value of this property, possibly null
     * @return what is wrong with {@code value} (without the name), or null when it is acceptable
     */
    public String check(T value) {
        if (value == null) {
            return "must not be null";
        }
        return validator.apply(value);
    }

    /**
     * Formats a value as a properties file and the docs table write it.
     *
     * @param value a value of this property
     * @return {@code value} as a string, which {@link #parse} reads back
     */
    public String format(T value) {
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        return name;
    }
}
