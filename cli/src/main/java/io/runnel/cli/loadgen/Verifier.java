package io.runnel.cli.loadgen;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Checks the user records read back from a stream against the records a load run sent, as a KCL consumer sees them:
 * every index {@code 0..N-1} exactly once, with its own partition key and data, and the records of each key in
 * increasing index order; user records inside aggregates the KCL drops count as misplaced, not as arrived. Feed it
 * the records of each shard in stream order, parent shards before their children.
 *
 * <p>Memory: one bit per expected record and one int per key in use (about 125 KB per million records). Not
 * thread-safe: confine it to the reading thread.
 */
public final class Verifier {
    private final RecordGenerator generator;
    private final int expected;
    private final BitSet seen;
    private final int[] lastIndexOfKey;
    private long received;
    private long duplicates;
    private long outOfOrder;
    private long wrongKey;
    private long corrupt;
    private long unexpected;
    private long misplaced;

    /**
     * A verifier that has seen nothing yet.
     *
     * @param generator the generator the records were made with
     * @param expected  records sent (indices {@code 0..expected-1}), 0 to {@link Integer#MAX_VALUE}
     * @throws IllegalArgumentException when {@code expected} is out of range
     */
    public Verifier(RecordGenerator generator, long expected) {
        if (expected < 0 || expected > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("records to verify must be 0.." + Integer.MAX_VALUE + ", was "
                    + expected);
        }
        this.generator = generator;
        this.expected = (int) expected;
        this.seen = new BitSet(this.expected);
        this.lastIndexOfKey = new int[(int) Math.min(generator.keys(), Math.max(1, expected))];
        Arrays.fill(lastIndexOfKey, -1);
    }

    /**
     * Accounts for one user record read back (after deaggregation). One a KCL consumer would drop (inside an
     * aggregate that landed on a shard whose range does not hold all its user records) counts as misplaced, not as
     * arrived: the record is missing unless it arrives again in a place the KCL reads.
     *
     * @param partitionKey the user record's partition key
     * @param data         its data
     * @param droppedByKcl whether a KCL consumer would drop it (see {@link StreamReader.UserRecordSink})
     */
    public void accept(String partitionKey, byte[] data, boolean droppedByKcl) {
        received++;
        if (droppedByKcl) {
            misplaced++;
            return;
        }
        long parsed = RecordGenerator.parseIndex(data);
        if (parsed < 0 || parsed >= expected) {
            unexpected++;
            return;
        }
        int index = (int) parsed;
        if (!generator.matches(index, data)) {
            corrupt++;
            return;
        }
        if (!generator.partitionKey(index).equals(partitionKey)) {
            wrongKey++;
            return;
        }
        if (seen.get(index)) {
            duplicates++;
            return;
        }
        seen.set(index);
        int key = (int) generator.keyNumber(index);
        if (index < lastIndexOfKey[key]) {
            outOfOrder++;
        } else {
            lastIndexOfKey[key] = index;
        }
    }

    /** {@return the outcome so far} */
    public Result result() {
        return new Result(expected, received, expected - seen.cardinality(), duplicates, outOfOrder, wrongKey,
                corrupt, unexpected, misplaced);
    }

    /**
     * What the read-back found.
     *
     * @param records     records sent (expected back)
     * @param received    user records read back
     * @param missing     indices never read back
     * @param duplicates  reads of an index already seen
     * @param outOfOrder  records read after a later record of the same key
     * @param wrongKey    records whose partition key is not the one of their index
     * @param corrupt     records whose data is not the data of their index
     * @param unexpected  records that are not from this run (no index, or an index beyond the records sent)
     * @param misplaced   user records inside aggregates a KCL consumer drops (counted in neither the arrived nor
     *                    the duplicates: a producer that sends them again elsewhere loses nothing)
     */
    public record Result(long records, long received, long missing, long duplicates, long outOfOrder, long wrongKey,
            long corrupt, long unexpected, long misplaced) {

        /** {@return true when every record arrived exactly once, intact, with its key, in per-key order} */
        public boolean passed() {
            return missing == 0 && duplicates == 0 && outOfOrder == 0 && wrongKey == 0 && corrupt == 0
                    && unexpected == 0;
        }

        /** {@return true when every record arrived exactly once, intact, with its key (order aside)} */
        public boolean exactlyOnce() {
            return missing == 0 && duplicates == 0 && wrongKey == 0 && corrupt == 0 && unexpected == 0;
        }

        /** {@return the contract's line: {@code verify: N records, M missing, D duplicates, O out of order}} */
        public String summaryLine() {
            return String.format("verify: %d records, %d missing, %d duplicates, %d out of order", records, missing,
                    duplicates, outOfOrder);
        }

        /** {@return a second line for problems outside the contract's line, or null when there are none} */
        public String problemsLine() {
            if (wrongKey == 0 && corrupt == 0 && unexpected == 0) {
                return null;
            }
            return String.format("verify: %d with a wrong partition key, %d with corrupt data, %d not from this run",
                    wrongKey, corrupt, unexpected);
        }

        /**
         * {@return a line on what KCL consumers drop, or null when nothing is} Those user records are counted as
         * missing (and the run fails) unless they also arrived where the KCL reads them.
         */
        public String misplacedLine() {
            if (misplaced == 0) {
                return null;
            }
            return String.format("verify: %d user records in aggregates KCL consumers drop (misplaced after a "
                    + "reshard; only copies sent again count)", misplaced);
        }
    }
}
