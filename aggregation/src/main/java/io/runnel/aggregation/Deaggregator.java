package io.runnel.aggregation;

import com.google.protobuf.InvalidProtocolBufferException;
import io.runnel.aggregation.proto.Messages;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads user records back out of Kinesis records, with the KCL's rule: a record that does not start with the magic,
 * whose MD5 trailer does not match, or whose protobuf does not parse is <em>not aggregated</em> and is returned as
 * it is — never an exception, never lost. Beyond the KCL, an aggregate whose MD5 matches but whose records point at
 * partition or explicit hash keys its tables do not have is also returned whole rather than half-read.
 *
 * <p>Thread-safe (stateless apart from a per-thread MD5 instance).
 */
public final class Deaggregator {
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    });

    private Deaggregator() {
    }

    /**
     * Whether {@code data} is a well-formed aggregate frame: magic, a non-empty body and a matching MD5 trailer.
     * (The protobuf itself is not parsed.)
     *
     * @param data a Kinesis record's data; not modified
     * @return whether it is framed as an aggregate
     * @throws NullPointerException when {@code data} is null
     */
    public static boolean isAggregated(byte[] data) {
        Objects.requireNonNull(data, "data");
        if (data.length <= AggregationFormat.OVERHEAD_BYTES
                || !AggregationFormat.startsWithMagic(data, 0, data.length)) {
            return false;
        }
        MessageDigest md5 = MD5.get();
        md5.reset();
        md5.update(data, AggregationFormat.MAGIC_LENGTH, data.length - AggregationFormat.OVERHEAD_BYTES);
        byte[] digest = md5.digest();
        int trailer = data.length - AggregationFormat.DIGEST_LENGTH;
        for (int i = 0; i < AggregationFormat.DIGEST_LENGTH; i++) {
            if (digest[i] != data[trailer + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The user records in one Kinesis record.
     *
     * @param partitionKey    the Kinesis record's partition key (returned for a record that is not aggregated)
     * @param explicitHashKey the Kinesis record's explicit hash key, or null
     * @param data            the Kinesis record's data; not modified
     * @return the user records in order, each with its sub-sequence number; or one record, {@code aggregated=false},
     *         holding {@code data} itself when it is not a valid aggregate
     * @throws NullPointerException when {@code data} is null
     */
    public static List<DeaggregatedRecord> deaggregate(String partitionKey, String explicitHashKey, byte[] data) {
        List<DeaggregatedRecord> out = tryDeaggregate(data);
        if (out != null) {
            return out;
        }
        return List.of(new DeaggregatedRecord(partitionKey, explicitHashKey, data, 0, false));
    }

    /** The user records of a valid aggregate, or null when {@code data} is not one. */
    private static List<DeaggregatedRecord> tryDeaggregate(byte[] data) {
        if (!isAggregated(data)) {
            return null;
        }
        Messages.AggregatedRecord aggregate;
        try {
            aggregate = Messages.AggregatedRecord.parseFrom(ByteBuffer.wrap(data, AggregationFormat.MAGIC_LENGTH,
                    data.length - AggregationFormat.OVERHEAD_BYTES));
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
        int pkCount = aggregate.getPartitionKeyTableCount();
        int ehkCount = aggregate.getExplicitHashKeyTableCount();
        List<DeaggregatedRecord> out = new ArrayList<>(aggregate.getRecordsCount());
        long subSequence = 0;
        for (Messages.Record r : aggregate.getRecordsList()) {
            long pkIndex = r.getPartitionKeyIndex();
            if (pkIndex < 0 || pkIndex >= pkCount) {
                return null;
            }
            String ehk = null;
            if (r.hasExplicitHashKeyIndex()) {
                long ehkIndex = r.getExplicitHashKeyIndex();
                if (ehkIndex < 0 || ehkIndex >= ehkCount) {
                    return null;
                }
                ehk = aggregate.getExplicitHashKeyTable((int) ehkIndex);
            }
            out.add(new DeaggregatedRecord(aggregate.getPartitionKeyTable((int) pkIndex), ehk,
                    r.getData().toByteArray(), subSequence++, true));
        }
        return out.isEmpty() ? null : out;
    }
}
