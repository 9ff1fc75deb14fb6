package io.runnel.backend.store;

import io.runnel.backend.limits.ShardThrottle;
import io.runnel.wire.HashKeyRange;

/**
 * One shard of a stream: its identity and lineage, hash key range, sequence number range, records and limits.
 * Immutable apart from its log, throttle and write meter (each thread-safe).
 *
 * @param shardId              {@code shardId-000000000007}
 * @param index                the number in its id
 * @param hashKeyRange         the hash keys it owns
 * @param parentShardId        the shard it was split from, or the first of the two merged into it; null for
 *                             shards created with the stream
 * @param adjacentParentShardId the second shard of a merge, else null
 * @param startingCounter      the stream's counter when the shard opened (its StartingSequenceNumber)
 * @param createdMillis        when it opened
 * @param log                  its records
 * @param throttle             its throughput limits
 * @param written              what has been written to it since it opened (or since the backend started)
 */
public record ShardState(String shardId, int index, HashKeyRange hashKeyRange, String parentShardId,
        String adjacentParentShardId, long startingCounter, long createdMillis, ShardLog log,
        ShardThrottle throttle, WriteMeter written) {

    /**
     * The Kinesis shard id for an index.
     *
     * @param index the shard's index
     * @return its id, {@code shardId-} and twelve digits
     */
    public static String idOf(int index) {
        String digits = Integer.toString(index);
        return "shardId-" + "0".repeat(12 - digits.length()) + digits;
    }

    /** {@return the StartingSequenceNumber of the shard's SequenceNumberRange} */
    public String startingSequenceNumber() {
        return SequenceNumbers.format(startingCounter, index);
    }

    /** {@return the EndingSequenceNumber of the shard's SequenceNumberRange, or null while the shard is open} */
    public String endingSequenceNumber() {
        long ending = log.endingCounter();
        return ending < 0 ? null : SequenceNumbers.format(ending, index);
    }

    /** {@return whether the shard still takes records (it closes when split or merged)} */
    public boolean isOpen() {
        return !log.isClosed();
    }
}
