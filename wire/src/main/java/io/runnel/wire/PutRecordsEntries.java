package io.runnel.wire;

import io.runnel.wire.model.PutRecordsRequest;
import io.runnel.wire.model.PutRecordsRequestEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The records of a PutRecords request with each one's data given as a range of an array, for callers that keep
 * record data in reused buffers ({@link KinesisClient#putRecords(String, String, PutRecordsEntries)}): the data goes
 * into the request body without first being copied into an array of its own. Indexed from 0; the partition key may
 * be null (AUTO streams), the explicit hash key is null when absent.
 */
public interface PutRecordsEntries {
    /** {@return the number of records} */
    int size();

    /** {@return the array that holds record {@code i}'s data} */
    byte[] dataArray(int i);

    /** {@return where record {@code i}'s data starts in {@link #dataArray}} */
    int dataOffset(int i);

    /** {@return the length of record {@code i}'s data in bytes} */
    int dataLength(int i);

    /** {@return record {@code i}'s partition key, or null} */
    String partitionKey(int i);

    /** {@return record {@code i}'s explicit hash key, or null} */
    String explicitHashKey(int i);

    /**
     * The same records as a {@link PutRecordsRequest}, each record's data copied into an array of its own.
     *
     * @param streamName the stream's name, or null when {@code streamARN} names it
     * @param streamARN  the stream's ARN, or null
     * @return a request independent of the arrays this view reads
     */
    default PutRecordsRequest toRequest(String streamName, String streamARN) {
        List<PutRecordsRequestEntry> records = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            int from = dataOffset(i);
            records.add(new PutRecordsRequestEntry(Arrays.copyOfRange(dataArray(i), from, from + dataLength(i)),
                    explicitHashKey(i), partitionKey(i)));
        }
        return new PutRecordsRequest(streamName, streamARN, records);
    }

    /**
     * A view of a request's records (each one's whole data array).
     *
     * @param records the entries of a {@link PutRecordsRequest}
     * @return a view that reads {@code records} as they are
     */
    static PutRecordsEntries of(List<PutRecordsRequestEntry> records) {
        Objects.requireNonNull(records, "records");
        return new PutRecordsEntries() {
            @Override
            public int size() {
                return records.size();
            }

            @Override
            public byte[] dataArray(int i) {
                return records.get(i).data();
            }

            @Override
            public int dataOffset(int i) {
                return 0;
            }

            @Override
            public int dataLength(int i) {
                byte[] data = records.get(i).data();
                return data == null ? 0 : data.length;
            }

            @Override
            public String partitionKey(int i) {
                return records.get(i).partitionKey();
            }

            @Override
            public String explicitHashKey(int i) {
                return records.get(i).explicitHashKey();
            }
        };
    }
}
