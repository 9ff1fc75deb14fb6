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
    /**
     * Checks the components.
     *
     * @param delay        time from the previous attempt's end (or from addUserRecord) to this attempt's start
     * @param duration     how long the attempt took
     * @param errorCode    the error code; null exactly when {@code successful}
     * @param errorMessage the error message; null on success
     * @param successful   whether the record was put
     * @throws NullPointerException     when {@code delay} or {@code duration} is null
     * @throws IllegalArgumentException when a successful attempt has an error code, or a failed one none
     */
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

    /**
     * A successful attempt.
     *
     * @param delay    time from the previous attempt's end (or from addUserRecord) to this attempt's start
     * @param duration how long the attempt took
     * @return the attempt
     * @throws NullPointerException when {@code delay} or {@code duration} is null
     */
    public static Attempt success(Duration delay, Duration duration) {
        return new Attempt(delay, duration, null, null, true);
    }

    /**
     * A failed attempt.
     *
     * @param delay        time from the previous attempt's end (or from addUserRecord) to this attempt's start
     * @param duration     how long the attempt took
     * @param errorCode    the Kinesis error code, or a Runnel code such as {@code Expired}
     * @param errorMessage the error message, or null
     * @return the attempt
     * @throws NullPointerException     when {@code delay} or {@code duration} is null
     * @throws IllegalArgumentException when {@code errorCode} is null
     */
    public static Attempt failure(Duration delay, Duration duration, String errorCode, String errorMessage) {
        return new Attempt(delay, duration, errorCode, errorMessage, false);
    }
}
