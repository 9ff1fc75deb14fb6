package io.runnel.producer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of one user record: where it went, or why it did not, with every attempt. Immutable and thread-safe.
 *
 * <p>A success the producer builds keeps its last attempt as two numbers and makes the {@link Attempt} list only when
 * {@link #attempts()} is first called: most callers look at the shard and sequence number only, and a producer
 * completes hundreds of thousands of records a second.
 */
public final class UserRecordResult {
    /** {@link #addedAtNanos()} of a result that no producer made (built with a factory that takes no time). */
    public static final long NOT_ADDED = Long.MIN_VALUE;

    private final boolean successful;
    private final String shardId;
    private final String sequenceNumber;
    private final long subSequenceNumber;
    private final List<Attempt> earlier; // every attempt when lastDelayNanos < 0, else those before the last
    private final long lastDelayNanos; // -1: the last attempt is in earlier
    private final long lastDurationNanos;
    private final long addedAtNanos;
    private volatile List<Attempt> attempts; // made once, when first asked for

    private UserRecordResult(boolean successful, String shardId, String sequenceNumber, long subSequenceNumber,
            List<Attempt> earlier, long lastDelayNanos, long lastDurationNanos, long addedAtNanos) {
        if (successful && (shardId == null || sequenceNumber == null)) {
            throw new IllegalArgumentException("a successful result needs a shard id and a sequence number");
        }
        this.successful = successful;
        this.shardId = shardId;
        this.sequenceNumber = sequenceNumber;
        this.subSequenceNumber = subSequenceNumber;
        this.earlier = List.copyOf(Objects.requireNonNull(earlier, "attempts"));
        this.lastDelayNanos = lastDelayNanos;
        this.lastDurationNanos = lastDurationNanos;
        this.addedAtNanos = addedAtNanos;
        if (lastDelayNanos < 0) {
            this.attempts = this.earlier;
        }
    }

    /**
     * A record in the stream.
     *
     * @param shardId           its shard
     * @param sequenceNumber    its Kinesis record's sequence number
     * @param subSequenceNumber its index inside an aggregated record (0 when sent alone)
     * @param attempts          every attempt, oldest first (copied)
     * @return the result
     * @throws IllegalArgumentException when the shard id or sequence number is null
     * @throws NullPointerException     when {@code attempts} is null or holds null
     */
    public static UserRecordResult success(String shardId, String sequenceNumber, long subSequenceNumber,
            List<Attempt> attempts) {
        return new UserRecordResult(true, shardId, sequenceNumber, subSequenceNumber, attempts, -1, 0, NOT_ADDED);
    }

    /**
     * A record in the stream whose last, successful attempt started {@code lastDelayNanos} after the one before it
     * ended (or after addUserRecord) and took {@code lastDurationNanos}; the {@link Attempt} is made when asked for.
     *
     * @param shardId           its shard
     * @param sequenceNumber    its Kinesis record's sequence number
     * @param subSequenceNumber its index inside an aggregated record (0 when sent alone)
     * @param earlierAttempts   the failed attempts before it, oldest first (copied)
     * @param lastDelayNanos    time from the attempt before it ended (or from addUserRecord) to the last one's start
     * @param lastDurationNanos how long the last attempt took
     * @param addedAtNanos      {@link #addedAtNanos()}
     * @return the result
     * @throws IllegalArgumentException when the shard id or sequence number is null, or a time is negative
     * @throws NullPointerException     when {@code earlierAttempts} is null or holds null
     */
    public static UserRecordResult success(String shardId, String sequenceNumber, long subSequenceNumber,
            List<Attempt> earlierAttempts, long lastDelayNanos, long lastDurationNanos, long addedAtNanos) {
        if (lastDelayNanos < 0 || lastDurationNanos < 0) {
            throw new IllegalArgumentException("an attempt's delay and duration are not negative, were "
                    + lastDelayNanos + " and " + lastDurationNanos + " ns");
        }
        return new UserRecordResult(true, shardId, sequenceNumber, subSequenceNumber, earlierAttempts,
                lastDelayNanos, lastDurationNanos, addedAtNanos);
    }

    /**
     * A record that is not in the stream.
     *
     * @param attempts every attempt, oldest first (copied); empty when it was never sent
     * @return the result
     * @throws NullPointerException when {@code attempts} is null or holds null
     */
    public static UserRecordResult failure(List<Attempt> attempts) {
        return failure(attempts, NOT_ADDED);
    }

    /**
     * A record that is not in the stream, added at {@code addedAtNanos}.
     *
     * @param attempts     every attempt, oldest first (copied); empty when it was never sent
     * @param addedAtNanos {@link #addedAtNanos()}
     * @return the result
     * @throws NullPointerException when {@code attempts} is null or holds null
     */
    public static UserRecordResult failure(List<Attempt> attempts, long addedAtNanos) {
        return new UserRecordResult(false, null, null, 0, attempts, -1, 0, addedAtNanos);
    }

    /**
     * {@return when addUserRecord was called for the record, on the producer's clock ({@link System#nanoTime()} unless
     * the producer was given another), or {@link #NOT_ADDED} for a result no producer made} In a callback,
     * {@code System.nanoTime() - result.addedAtNanos()} is the record's latency as its caller sees it (time
     * addUserRecord spent waiting for buffer space included), with no object per record to hold the start: one
     * callback can serve every record.
     */
    public long addedAtNanos() {
        return addedAtNanos;
    }

    /** {@return whether the record is in the stream} */
    public boolean successful() {
        return successful;
    }

    /** {@return the record's shard, or null when it failed} */
    public String shardId() {
        return shardId;
    }

    /** {@return the sequence number of the record's Kinesis record, or null when it failed} */
    public String sequenceNumber() {
        return sequenceNumber;
    }

    /** {@return the record's index inside an aggregated record (0 when sent alone or when it failed)} */
    public long subSequenceNumber() {
        return subSequenceNumber;
    }

    /** {@return every attempt, oldest first (an immutable list)} */
    public List<Attempt> attempts() {
        List<Attempt> all = attempts;
        if (all == null) {
            Attempt last = Attempt.success(Duration.ofNanos(lastDelayNanos), Duration.ofNanos(lastDurationNanos));
            if (earlier.isEmpty()) {
                all = List.of(last);
            } else {
                List<Attempt> list = new ArrayList<>(earlier.size() + 1);
                list.addAll(earlier);
                list.add(last);
                all = List.copyOf(list);
            }
            attempts = all; // a race makes equal lists; either is fine
        }
        return all;
    }

    /**
     * {@return how many attempts there were: the size of {@link #attempts()}, without building that list} A
     * successful record with one attempt went through on its first try.
     */
    public int attemptCount() {
        return lastDelayNanos < 0 ? earlier.size() : earlier.size() + 1;
    }

    /** {@return the last attempt, or null when there was none} */
    public Attempt lastAttempt() {
        List<Attempt> all = attempts();
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UserRecordResult r && successful == r.successful && subSequenceNumber == r.subSequenceNumber
                && Objects.equals(shardId, r.shardId) && Objects.equals(sequenceNumber, r.sequenceNumber)
                && attempts().equals(r.attempts());
    }

    @Override
    public int hashCode() {
        return Objects.hash(successful, shardId, sequenceNumber, subSequenceNumber, attempts());
    }

    @Override
    public String toString() {
        return "UserRecordResult[successful=" + successful + ", shardId=" + shardId + ", sequenceNumber="
                + sequenceNumber + ", subSequenceNumber=" + subSequenceNumber + ", attempts=" + attempts() + "]";
    }
}
