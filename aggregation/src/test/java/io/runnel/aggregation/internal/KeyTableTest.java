package io.runnel.aggregation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

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

    @Property
    void behavesLikeAMapAcrossClears(@ForAll List<List<String>> rounds) {
        KeyTable table = new KeyTable(1);
        for (List<String> keys : rounds) {
            Map<String, Integer> model = new HashMap<>();
            for (String key : keys) {
                Integer expected = model.get(key);
                assertThat(table.indexOf(key)).isEqualTo(expected == null ? -1 : expected);
                if (expected == null) {
                    model.put(key, table.add(key));
                    assertThat(model.get(key)).isEqualTo(model.size() - 1);
                }
            }
            model.forEach((k, i) -> assertThat(table.key(i)).isEqualTo(k));
            table.clear();
            for (String key : keys) {
                assertThat(table.indexOf(key)).isEqualTo(-1);
            }
        }
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
