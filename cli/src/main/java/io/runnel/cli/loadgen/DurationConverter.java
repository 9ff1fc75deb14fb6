package io.runnel.cli.loadgen;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Parses {@code --duration}: a number with a unit — {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} — or an
 * ISO-8601 duration such as {@code PT1M30S}. Must be positive.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /**
     * The duration {@code value} denotes.
     *
     * @param value a number with a unit ({@code ms}, {@code s}, {@code m}, {@code h}; fractions allowed but for
     *              {@code ms}) or an ISO-8601 duration; case and surrounding blanks are ignored
     * @return the duration, positive
     * @throws CommandLine.TypeConversionException naming the value when it is not a positive duration
     */
    public static Duration parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (v.startsWith("pt") || v.startsWith("p")) {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } else if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            } else if (v.endsWith("m")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
            } else if (v.endsWith("h")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 3_600_000));
            } else {
                throw new CommandLine.TypeConversionException("'" + value + "' needs a unit: ms, s, m or h "
                        + "(e.g. 30s, 2m)");
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 30s, 2m, "
                    + "1h, PT1M30S)");
        }
        if (d.isNegative() || d.isZero()) {
            throw new CommandLine.TypeConversionException("'" + value + "' must be longer than zero");
        }
        return d;
    }
}
