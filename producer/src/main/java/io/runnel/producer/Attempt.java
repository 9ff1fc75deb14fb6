package io.runnel.producer;

import java.time.Duration;
import java.util.Objects;

/**
 * One try at putting a user record.
 *
 * @param delay        time from the previous attempt's end (or from addUserRecord) to this attempt's start
 * @param duration     how long the attempt took
 * @param errorCode    the Kinesis error code, or a Runnel code such as {@code Expired}; null on success
 * @param errorMessage the error message; null on success
 * @param successful   whether the record was put
 */
public record Attempt(Duration delay, Duration duration, String errorCode, String errorMessage, boolean successful) {
    public Attempt {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(duration, "duration");
        if (successful && errorCode != null) {
            throw new IllegalArgumentException("a successful attempt has no error code");
        }
        if (!successful && errorCode == null) {
            throw new IllegalArgumentException("a failed attempt needs an error code");
        }
    }

    public static Attempt success(Duration delay, Duration duration) {
        return new Attempt(delay, duration, null, null, true);
    }

    public static Attempt failure(Duration delay, Duration duration, String errorCode, String errorMessage) {
        return new Attempt(delay, duration, errorCode, errorMessage, false);
    }
}
