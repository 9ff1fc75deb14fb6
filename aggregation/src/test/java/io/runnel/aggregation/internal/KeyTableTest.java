package io.runnel.aggregation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.testing.RandomData;
import io.runnel.testing.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KeyTableTest {
    @Test
    void indexesInInsertionOrderAndClearsForReuse() {
        KeyTable table = new KeyTable(2);
        assertThat(table.add("a")).isZero();
        assertThat(table.add("b")).isEqualTo(1);
        assertThat(table.indexOf("b")).isEqualTo(1);
        assertThat(table.indexOf("c")).isEqualTo(-1);
        table.clear();
        assertThat(table.size()).isZero();
        assertThat(table.indexOf("a")).isEqualTo(-1);
        assertThat(table.add("b")).isZero();
        assertThat(table.key(0)).isEqualTo("b");
    }

    static LongStream seeds() {
        return Seeds.of(1000);
    }

    @ParameterizedTest(name = "seed={0}")
    @MethodSource("seeds")
    void behavesLikeAMapAcrossClears(long seed) {
        List<List<String>> rounds = rounds(new SplittableRandom(seed));
        KeyTable table = new KeyTable(1);
        for (List<String> keys : rounds) {
            Map<String, Integer> model = new HashMap<>();
            for (String key : keys) {
                Integer expected = model.get(key);
                assertThat(table.indexOf(key)).as("seed %d", seed).isEqualTo(expected == null ? -1 : expected);
                if (expected == null) {
                    model.put(key, table.add(key));
                    assertThat(model.get(key)).as("seed %d", seed).isEqualTo(model.size() - 1);
                }
            }
            model.forEach((k, i) -> assertThat(table.key(i)).as("seed %d", seed).isEqualTo(k));
            table.clear();
            for (String key : keys) {
                assertThat(table.indexOf(key)).as("seed %d", seed).isEqualTo(-1);
            }
        }
    }

    /** 0 to 255 rounds of 0 to 255 keys, each any string of 0 to 255 chars; half the keys repeat an earlier one. */
    private static List<List<String>> rounds(SplittableRandom random) {
        List<String> earlier = new ArrayList<>();
        List<List<String>> rounds = new ArrayList<>();
        int count = RandomData.length(random, 0, 255);
        for (int i = 0; i < count; i++) {
            int size = RandomData.length(random, 0, 255);
            List<String> keys = new ArrayList<>(size);
            for (int j = 0; j < size; j++) {
                if (!earlier.isEmpty() && random.nextBoolean()) {
                    keys.add(earlier.get(random.nextInt(earlier.size())));
                } else {
                    String key = RandomData.string(random, 255);
                    earlier.add(key);
                    keys.add(key);
                }
            }
            rounds.add(keys);
        }
        return rounds;
    }

    @Test
    void collidingHashesAreKeptApart() {
        // "Aa" and "BB" share a hash code.
        KeyTable table = new KeyTable(4);
        table.add("Aa");
        table.add("BB");
        assertThat(table.indexOf("Aa")).isZero();
        assertThat(table.indexOf("BB")).isEqualTo(1);
        table.clear();
        assertThat(table.indexOf("BB")).isEqualTo(-1);
    }
}
