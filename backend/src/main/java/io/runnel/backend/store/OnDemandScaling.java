package io.runnel.backend.store;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * How on-demand streams follow their write load, as Kinesis' on-demand mode does: a shard whose writes over one
 * interval reach {@code splitAbove} of its capacity (1,000 records/s or 1 MiB/s, whichever is nearer) is split in
 * two, so the stream keeps about twice the throughput it sees; two adjacent shards that both stay under
 * {@code mergeBelow} of their capacity for {@code mergeAfter} are merged again, never below the shards an on-demand
 * stream starts with.
 *
 * @param interval   how often writes are measured and shards judged
 * @param splitAbove fraction of a shard's write capacity that splits it (0 &lt; f ≤ 1)
 * @param mergeBelow fraction under which a shard counts as idle (0 ≤ f &lt; splitAbove)
 * @param mergeAfter how long two adjacent shards must both be idle before they merge
 * @param maxShards  open shards an on-demand stream may grow to
 */
public record OnDemandScaling(Duration interval, double splitAbove, double mergeBelow, Duration mergeAfter,
        int maxShards) {

    /** No scaling: on-demand streams keep the shards they have. */
    public static final OnDemandScaling OFF = null;

    /**
     * Checks the settings.
     *
     * @param interval   how often writes are measured, positive
     * @param splitAbove fraction of capacity that splits a shard
     * @param mergeBelow fraction under which a shard is idle
     * @param mergeAfter how long shards must be idle to merge, not negative
     * @param maxShards  open shards a stream may grow to, positive
     * @throws NullPointerException     when a duration is null
     * @throws IllegalArgumentException when a value is out of its range
     */
    public OnDemandScaling {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(mergeAfter, "mergeAfter");
        if (interval.isNegative() || interval.isZero() || mergeAfter.isNegative()) {
            throw new IllegalArgumentException("interval must be positive and mergeAfter not negative, were "
                    + interval + ", " + mergeAfter);
        }
        if (!(splitAbove > 0 && splitAbove <= 1) || !(mergeBelow >= 0 && mergeBelow < splitAbove)) {
            throw new IllegalArgumentException("need 0 < splitAbove <= 1 and 0 <= mergeBelow < splitAbove, were "
                    + splitAbove + ", " + mergeBelow);
        }
        if (maxShards < 1) {
            throw new IllegalArgumentException("maxShards must be positive, was " + maxShards);
        }
    }

    /**
     * Like Kinesis, on the scale of minutes: judged every minute, a shard at half its capacity splits, and shards
     * idle (under a tenth) for 15 minutes merge; at most 200 shards (Kinesis' default 200 MiB/s on-demand
     * maximum).
     *
     * @return the settings
     */
    public static OnDemandScaling normal() {
        return new OnDemandScaling(Duration.ofMinutes(1), 0.5, 0.1, Duration.ofMinutes(15), 200);
    }

    /**
     * For tests and demos: judged every second, idle shards merge after 5 seconds.
     *
     * @return the settings
     */
    public static OnDemandScaling fast() {
        return new OnDemandScaling(Duration.ofSeconds(1), 0.5, 0.1, Duration.ofSeconds(5), 200);
    }

    /**
     * {@code off}, {@code normal} or {@code fast}.
     *
     * @param name the name, in any case
     * @return the settings, null for {@code off}
     * @throws IllegalArgumentException for anything else
     * @throws NullPointerException     when {@code name} is null
     */
    public static OnDemandScaling parse(String name) {
        switch (Objects.requireNonNull(name, "name").toLowerCase(Locale.ROOT)) {
            case "off":
                return OFF;
            case "normal":
                return normal();
            case "fast":
                return fast();
            default:
                throw new IllegalArgumentException("on-demand scaling must be off, normal or fast, was '" + name + "'");
        }
    }
}
