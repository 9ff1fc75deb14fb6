package io.runnel.backend.store;

/**
 * How the store behaves.
 *
 * @param region              AWS region in ARNs
 * @param accountId           12-digit account id in ARNs and messages
 * @param shardLimit          open shards allowed over all provisioned streams (Kinesis' default account quota: 500)
 * @param onDemandStreamLimit on-demand streams allowed (Kinesis' default: 50)
 * @param onDemandShards      shards an on-demand stream starts with (Kinesis: 4)
 * @param transitionMillis    how long a stream stays CREATING, UPDATING or DELETING
 * @param maxRecordBytes      largest record data (1 MiB by default on Kinesis)
 * @param limitsEnabled       whether per-shard throughput limits apply
 */
public record StoreSettings(String region, String accountId, int shardLimit, int onDemandStreamLimit,
        int onDemandShards, long transitionMillis, int maxRecordBytes, boolean limitsEnabled) {

    /**
     * Kinesis' defaults, with a short transition so local tests and demos don't wait: us-east-1, account
     * 000000000000, 500 shards, 50 on-demand streams of 4 shards, 500 ms transitions, 1 MiB records, limits on.
     *
     * @return the settings
     */
    public static StoreSettings defaults() {
        return new StoreSettings("us-east-1", "000000000000", 500, 50, 4, 500, 1024 * 1024, true);
    }

    /**
     * Checks the settings.
     *
     * @param region              AWS region, like {@code us-east-1}
     * @param accountId           12 digits
     * @param shardLimit          positive
     * @param onDemandStreamLimit not negative
     * @param onDemandShards      positive
     * @param transitionMillis    not negative
     * @param maxRecordBytes      positive
     * @param limitsEnabled       whether per-shard throughput limits apply
     * @throws IllegalArgumentException when a value is out of its range
     */
    public StoreSettings {
        if (region == null || !region.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("region must be like us-east-1, was " + region);
        }
        if (accountId == null || !accountId.matches("[0-9]{12}")) {
            throw new IllegalArgumentException("accountId must be 12 digits, was " + accountId);
        }
        if (shardLimit < 1 || onDemandStreamLimit < 0 || onDemandShards < 1 || transitionMillis < 0
                || maxRecordBytes < 1) {
            throw new IllegalArgumentException("store limits must be positive");
        }
    }

    /**
     * These settings with another transition time.
     *
     * @param millis how long a stream stays CREATING, UPDATING or DELETING, not negative
     * @return the new settings
     * @throws IllegalArgumentException when {@code millis} is negative
     */
    public StoreSettings withTransitionMillis(long millis) {
        return new StoreSettings(region, accountId, shardLimit, onDemandStreamLimit, onDemandShards, millis,
                maxRecordBytes, limitsEnabled);
    }

    /**
     * These settings with per-shard throughput limits on or off.
     *
     * @param enabled whether the limits apply
     * @return the new settings
     */
    public StoreSettings withLimits(boolean enabled) {
        return new StoreSettings(region, accountId, shardLimit, onDemandStreamLimit, onDemandShards,
                transitionMillis, maxRecordBytes, enabled);
    }
}
