package io.runnel.aggregation;

import com.google.protobuf.ByteString;
import io.runnel.aggregation.proto.Messages;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds aggregates the slow, obvious way with the generated protobuf classes: the reference our encoder must match.
 */
final class ProtoReference {
    record Input(String partitionKey, String explicitHashKey, byte[] data) {
    }

    private ProtoReference() {
    }

    static Messages.AggregatedRecord message(List<Input> inputs) {
        Map<String, Integer> pks = new LinkedHashMap<>();
        Map<String, Integer> ehks = new LinkedHashMap<>();
        Messages.AggregatedRecord.Builder b = Messages.AggregatedRecord.newBuilder();
        for (Input in : inputs) {
            Messages.Record.Builder r = Messages.Record.newBuilder()
                    .setPartitionKeyIndex(pks.computeIfAbsent(in.partitionKey(), k -> pks.size()))
                    .setData(ByteString.copyFrom(in.data()));
            if (in.explicitHashKey() != null) {
                r.setExplicitHashKeyIndex(ehks.computeIfAbsent(in.explicitHashKey(), k -> ehks.size()));
            }
            b.addRecords(r);
        }
        b.addAllPartitionKeyTable(pks.keySet());
        b.addAllExplicitHashKeyTable(ehks.keySet());
        return b.build();
    }

    static byte[] frame(byte[] protobuf) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(AggregationFormat.MAGIC);
        out.write(protobuf);
        out.write(MessageDigest.getInstance("MD5").digest(protobuf));
        return out.toByteArray();
    }

    static byte[] aggregate(List<Input> inputs) throws Exception {
        return frame(message(inputs).toByteArray());
    }
}
