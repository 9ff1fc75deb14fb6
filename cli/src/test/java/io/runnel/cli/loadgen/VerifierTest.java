package io.runnel.cli.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VerifierTest {
    private final RecordGenerator g = new RecordGenerator(16, 3, 999);

    private void feed(Verifier v, long... indices) {
        for (long i : indices) {
            v.accept(g.partitionKey(i), g.data(i), false);
        }
    }

    @Test
    void everyRecordOnceInKeyOrderPasses() {
        Verifier v = new Verifier(g, 6);
        // Keys interleave freely; within each key (i mod 3) indices rise.
        feed(v, 1, 0, 4, 2, 3, 5);

        Verifier.Result r = v.result();
        assertThat(r.passed()).isTrue();
        assertThat(r).isEqualTo(new Verifier.Result(6, 6, 0, 0, 0, 0, 0, 0, 0));
        assertThat(r.summaryLine()).isEqualTo("verify: 6 records, 0 missing, 0 duplicates, 0 out of order");
        assertThat(r.problemsLine()).isNull();
    }

    @Test
    void detectsMissingRecords() {
        Verifier v = new Verifier(g, 6);
        feed(v, 0, 1, 2, 5);

        Verifier.Result r = v.result();
        assertThat(r.missing()).isEqualTo(2);
        assertThat(r.passed()).isFalse();
        assertThat(r.summaryLine()).isEqualTo("verify: 6 records, 2 missing, 0 duplicates, 0 out of order");
    }

    @Test
    void detectsDuplicatesWithoutCallingThemOutOfOrder() {
        Verifier v = new Verifier(g, 6);
        feed(v, 0, 1, 2, 3, 0, 4, 5, 3);

        Verifier.Result r = v.result();
        assertThat(r.duplicates()).isEqualTo(2);
        assertThat(r.outOfOrder()).isZero();
        assertThat(r.missing()).isZero();
        assertThat(r.received()).isEqualTo(8);
        assertThat(r.passed()).isFalse();
    }

    @Test
    void detectsARecordReadAfterALaterOneOfItsKey() {
        Verifier v = new Verifier(g, 9);
        // Key 0 holds 0, 3, 6: 6 arrives before 3.
        feed(v, 0, 1, 2, 6, 4, 5, 3, 7, 8);

        Verifier.Result r = v.result();
        assertThat(r.outOfOrder()).isEqualTo(1);
        assertThat(r.missing()).isZero();
        assertThat(r.duplicates()).isZero();
        assertThat(r.summaryLine()).isEqualTo("verify: 9 records, 0 missing, 0 duplicates, 1 out of order");
    }

    @Test
    void detectsWrongKeysCorruptDataAndForeignRecords() {
        Verifier v = new Verifier(g, 3);
        v.accept("pk-2", g.data(0), false);                                           // wrong key
        byte[] corrupt = g.data(1);
        corrupt[10] = 'x';
        v.accept(g.partitionKey(1), corrupt, false);                                   // corrupt filler
        v.accept("pk-0", "hello".getBytes(StandardCharsets.US_ASCII), false);          // not from this run
        v.accept(g.partitionKey(5), new RecordGenerator(16, 3, 999).data(5), false); // beyond the records sent
        feed(v, 2);

        Verifier.Result r = v.result();
        assertThat(r.wrongKey()).isEqualTo(1);
        assertThat(r.corrupt()).isEqualTo(1);
        assertThat(r.unexpected()).isEqualTo(2);
        assertThat(r.missing()).isEqualTo(2); // 0 and 1 never arrived intact with their key
        assertThat(r.passed()).isFalse();
        assertThat(r.problemsLine())
                .isEqualTo("verify: 1 with a wrong partition key, 1 with corrupt data, 2 not from this run");
    }

    @Test
    void aMillionRecordsFitInABitSet() {
        RecordGenerator big = new RecordGenerator(100, 1000, 999_999);
        Verifier v = new Verifier(big, 1_000_000);
        for (long i = 0; i < 1_000_000; i += 2) {
            v.accept(big.partitionKey(i), big.data(i), false);
        }
        assertThat(v.result().missing()).isEqualTo(500_000);
        assertThat(v.result().outOfOrder()).isZero();
    }

    @Test
    void recordsInAggregatesTheKclDropsAreMisplacedAndMissingUnlessSentAgain() {
        Verifier v = new Verifier(g, 3);
        v.accept(g.partitionKey(0), g.data(0), true);  // only in a dropped aggregate: lost to KCL consumers
        v.accept(g.partitionKey(1), g.data(1), true);  // in a dropped aggregate, and sent again
        v.accept(g.partitionKey(1), g.data(1), false);
        v.accept(g.partitionKey(2), g.data(2), false);

        Verifier.Result r = v.result();
        assertThat(r.misplaced()).isEqualTo(2);
        assertThat(r.missing()).isEqualTo(1);
        assertThat(r.duplicates()).isZero(); // the KCL sees record 1 once
        assertThat(r.passed()).isFalse();
        assertThat(r.misplacedLine()).isEqualTo("verify: 2 user records in aggregates KCL consumers drop (misplaced "
                + "after a reshard; only copies sent again count)");
        assertThat(new Verifier(g, 0).result().misplacedLine()).isNull();
    }
}
