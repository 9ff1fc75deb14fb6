package io.runnel.producer;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of one user record: where it went, or why it did not, with every attempt.
 *
 * @param successful        whether the record is in the stream
 * @param shardId           its shard, or null when it failed
 * @param sequenceNumber    its Kinesis record's sequence number, or null when it failed
 * @param subSequenceNumber its index inside an aggregated record (0 when sent alone)
 * @param attempts          every attempt, oldest first
 */
public record UserRecordResult(boolean successful, String shardId, String sequenceNumber, long subSequenceNumber,
        List<Attempt> attempts) {
    public UserRecordResult {
        attempts = List.copyOf(Objects.requireNonNull(attempts, "attempts"));
        if (successful && (shardId == null || sequenceNumber == null)) {
            throw new IllegalArgumentException("a successful result needs a shard id and a sequence number");
        }
    }

    public static UserRecordResult success(String shardId, String sequenceNumber, long subSequenceNumber,
            List<Attempt> attempts) {
        return new UserRecordResult(true, shardId, sequenceNumber, subSequenceNumber, attempts);
    }

    public static UserRecordResult failure(List<Attempt> attempts) {
        return new UserRecordResult(false, null, null, 0, attempts);
    }

    /** The last attempt, or null when there was none. */
    public Attempt lastAttempt() {
        return attempts.isEmpty() ? null : attempts.get(attempts.size() - 1);
    }
}
