package io.runnel.backend.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class WriteStatsTest {
    private static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};

    /** magic + body + 16 digest bytes (the walk does not check them). */
    private static byte[] aggregate(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.writeBytes(body);
        out.writeBytes(new byte[16]);
        return out.toByteArray();
    }

    @Test
    void countsTheRecordsFieldsOfAnAggregateWhateverElseItHolds() {
        byte[] body = {
            0x0A, 0x01, 'k', // partition_key_table "k"
            0x12, 0x00, // explicit_hash_key_table ""
            0x1A, 0x04, 0x08, 0x00, 0x1A, 0x00, // records {partition_key_index 0, data ""}
            0x20, (byte) 0x96, 0x01, // an unknown varint field (4 = 150)
            0x1A, 0x02, 0x08, 0x00, // records
            0x29, 1, 2, 3, 4, 5, 6, 7, 8, // an unknown fixed64 field
            0x1A, 0x00, // records, empty
        };
        assertThat(WriteStats.userRecordsIn(aggregate(body))).isEqualTo(3);
    }

    @Test
    void anythingThatIsNotAWellFormedAggregateIsOneUserRecord() {
        assertThat(WriteStats.userRecordsIn(new byte[0])).isEqualTo(1);
        assertThat(WriteStats.userRecordsIn("plain text".getBytes())).isEqualTo(1);
        assertThat(WriteStats.userRecordsIn(aggregate(new byte[0]))).isEqualTo(1); // no records
        assertThat(WriteStats.userRecordsIn(aggregate(new byte[] {0x1A, 0x05, 0x08}))).isEqualTo(1); // overruns
        assertThat(WriteStats.userRecordsIn(aggregate(new byte[] {0x1A, (byte) 0x80}))).isEqualTo(1); // cut varint
        assertThat(WriteStats.userRecordsIn(aggregate(new byte[] {0x1B, 0x00}))).isEqualTo(1); // group wire type
    }

    @Test
    void aSnapshotCountsOnlyRequestsThatStoredSomething() {
        WriteStats stats = new WriteStats();
        stats.request(0, 0, 0);
        stats.request(2, 7, 300);
        assertThat(stats.snapshot()).isEqualTo(new WriteStats.Snapshot(1, 2, 7, 300));
    }
}
