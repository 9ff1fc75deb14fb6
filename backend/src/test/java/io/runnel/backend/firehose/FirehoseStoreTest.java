package io.runnel.backend.firehose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.backend.store.StoreException;
import io.runnel.backend.store.StoreSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirehoseStoreTest {
    private static final long MIB = 1024 * 1024;
    /** 2026-03-04T05:06:07Z */
    private static final long START = Instant.parse("2026-03-04T05:06:07Z").toEpochMilli();
    private static final StoreSettings SETTINGS = StoreSettings.defaults().withTransitionMillis(500);

    @TempDir
    Path dir;
    private final ManualTime time = new ManualTime(START);

    private FirehoseStore store(Path metadata) {
        return new FirehoseStore(SETTINGS, time, dir.resolve("out"), metadata);
    }

    private FirehoseStore activeStore(String name, BufferingHints hints) {
        FirehoseStore store = store(null);
        store.create(name, FirehoseStore.EXTENDED_S3, Map.of("RoleARN", "r", "BucketARN", "b"), hints);
        time.advanceMillis(SETTINGS.transitionMillis());
        return store;
    }

    private List<Path> objects() {
        Path out = dir.resolve("out");
        if (!Files.exists(out)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(out)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(int length, int fill) {
        byte[] b = new byte[length];
        java.util.Arrays.fill(b, (byte) fill);
        return b;
    }

    @Test
    void aBufferIsDeliveredBeforeItWouldOutgrowItsSize() throws IOException {
        FirehoseStore store = activeStore("clicks", BufferingHints.of(1, 900));
        byte[] a = bytes(600 * 1024, 'a');
        byte[] b = bytes(600 * 1024, 'b');
        store.put("clicks", List.of(a));
        assertThat(objects()).isEmpty();
        store.put("clicks", List.of(b)); // a + b > 1 MiB: a goes alone
        assertThat(objects()).hasSize(1);
        assertThat(Files.readAllBytes(objects().get(0))).isEqualTo(a);
        store.close(); // b is delivered at close
        assertThat(objects()).hasSize(2);
        assertThat(objects().stream().mapToLong(p -> p.toFile().length()).sum()).isEqualTo(a.length + b.length);
    }

    @Test
    void aBufferThatReachesItsSizeIsDeliveredAtOnceWithRecordsConcatenated() throws IOException {
        FirehoseStore store = activeStore("s", BufferingHints.of(1, 900));
        List<byte[]> records = new ArrayList<>();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 4; i++) {
            records.add(bytes((int) (MIB / 4), '0' + i));
            expected.writeBytes(records.get(i));
        }
        store.put("s", records);
        assertThat(objects()).hasSize(1);
        assertThat(Files.readAllBytes(objects().get(0))).isEqualTo(expected.toByteArray());
    }

    @Test
    void aBufferIsDeliveredWhenItsIntervalHasPassedUnderTheArrivalTimesPrefix() throws IOException {
        FirehoseStore store = activeStore("orders", BufferingHints.of(5, 60));
        long arrival = time.millis();
        store.put("orders", List.of("one".getBytes(), "two".getBytes()));
        time.advanceMillis(59_999);
        store.poll();
        assertThat(objects()).isEmpty();
        time.advanceMillis(1);
        store.poll();
        assertThat(objects()).hasSize(1);
        Path object = objects().get(0);
        assertThat(Files.readString(object)).isEqualTo("onetwo");
        assertThat(dir.resolve("out").relativize(object.getParent()).toString().replace('\\', '/'))
                .isEqualTo("orders/2026/03/04/05");
        assertThat(object.getFileName().toString())
                .matches("orders-1-2026-03-04-05-06-07-[0-9a-f-]{36}");
        assertThat(arrival).isEqualTo(START + SETTINGS.transitionMillis());
    }

    @Test
    void aPutAfterTheIntervalDeliversTheOldBufferFirst() throws IOException {
        FirehoseStore store = activeStore("s", BufferingHints.of(5, 60));
        store.put("s", List.of("old".getBytes()));
        time.advanceMillis(60_000);
        store.put("s", List.of("new".getBytes()));
        assertThat(objects()).hasSize(1);
        assertThat(Files.readString(objects().get(0))).isEqualTo("old");
        store.close();
        assertThat(objects()).hasSize(2);
    }

    @Test
    void aZeroIntervalDeliversEveryCall() throws IOException {
        FirehoseStore store = activeStore("s", BufferingHints.of(5, 0));
        store.put("s", List.of("a".getBytes(), "b".getBytes()));
        assertThat(objects()).hasSize(1);
        assertThat(Files.readString(objects().get(0))).isEqualTo("ab");
    }

    @Test
    void aStreamIsCreatingForTheTransitionTimeAndRefusesRecordsMeanwhile() {
        FirehoseStore store = store(null);
        store.create("s", FirehoseStore.S3, Map.of(), BufferingHints.DEFAULTS);
        assertThat(store.describe("s").status()).isEqualTo("CREATING");
        assertThatThrownBy(() -> store.put("s", List.of(new byte[1]))).isInstanceOf(StoreException.class)
                .extracting(e -> ((StoreException) e).errorCode()).isEqualTo(StoreException.RESOURCE_IN_USE);
        time.advanceMillis(SETTINGS.transitionMillis());
        assertThat(store.describe("s").status()).isEqualTo("ACTIVE");
        assertThat(store.describe("s").arn()).isEqualTo("arn:aws:firehose:us-east-1:000000000000:deliverystream/s");
    }

    @Test
    void unknownAndDuplicateStreamsAreRefusedInFirehoseWords() {
        FirehoseStore store = activeStore("s", BufferingHints.DEFAULTS);
        assertThatThrownBy(() -> store.describe("nope")).isInstanceOf(StoreException.class)
                .hasMessage("Firehose nope under account 000000000000 not found.")
                .extracting(e -> ((StoreException) e).errorCode()).isEqualTo(StoreException.RESOURCE_NOT_FOUND);
        assertThatThrownBy(() -> store.create("s", FirehoseStore.S3, Map.of(), BufferingHints.DEFAULTS))
                .isInstanceOf(StoreException.class).hasMessageContaining("already exists")
                .extracting(e -> ((StoreException) e).errorCode()).isEqualTo(StoreException.RESOURCE_IN_USE);
    }

    @Test
    void deleteDeliversWhatWasBufferedThenForgetsTheStream() throws IOException {
        FirehoseStore store = activeStore("s", BufferingHints.DEFAULTS);
        store.put("s", List.of("kept".getBytes()));
        store.delete("s");
        assertThat(objects()).hasSize(1);
        assertThat(Files.readString(objects().get(0))).isEqualTo("kept");
        assertThat(store.names()).isEmpty();
        assertThatThrownBy(() -> store.put("s", List.of(new byte[1]))).isInstanceOf(StoreException.class);
    }

    @Test
    void listPagesInNameOrder() {
        FirehoseStore store = store(null);
        for (String n : List.of("c", "a", "b")) {
            store.create(n, FirehoseStore.S3, Map.of(), BufferingHints.DEFAULTS);
        }
        assertThat(store.list(null, null, 2)).isEqualTo(new FirehoseStore.Page(List.of("a", "b"), true));
        assertThat(store.list(null, "b", 2)).isEqualTo(new FirehoseStore.Page(List.of("c"), false));
        assertThat(store.list("KinesisStreamAsSource", null, 10).names()).isEmpty();
    }

    @Test
    void streamsSurviveARestartWithTheirConfigurationButBuffersAreDeliveredAtClose() throws IOException {
        Path metadata = dir.resolve("delivery-streams.json");
        FirehoseStore first = store(metadata);
        first.create("kept", FirehoseStore.EXTENDED_S3, Map.of("RoleARN", "r", "BucketARN", "b",
                "BufferingHints", Map.of("SizeInMBs", 2L, "IntervalInSeconds", 70L)), BufferingHints.of(2, 70));
        first.createAtStart("dropped");
        first.delete("dropped");
        time.advanceMillis(1000);
        first.put("kept", List.of("before".getBytes()));
        first.close();

        FirehoseStore second = store(metadata);
        assertThat(second.names()).containsExactly("kept");
        FirehoseStore.Description d = second.describe("kept");
        assertThat(d.status()).isEqualTo("ACTIVE");
        assertThat(d.hints()).isEqualTo(BufferingHints.of(2, 70));
        assertThat(d.destinationKind()).isEqualTo(FirehoseStore.EXTENDED_S3);
        assertThat(d.destination()).containsEntry("BucketARN", "b")
                .containsEntry("BufferingHints", Map.of("SizeInMBs", 2L, "IntervalInSeconds", 70L));
        assertThat(d.createMillis()).isEqualTo(START);
        second.put("kept", List.of("after".getBytes()));
        second.close();
        assertThat(objects()).hasSize(2);
        List<String> contents = new ArrayList<>();
        for (Path p : objects()) {
            contents.add(Files.readString(p));
        }
        assertThat(contents).containsExactlyInAnyOrder("before", "after");
    }

    @Test
    void createAtStartIsActiveAtOnceAndKeepsAnExistingStream() {
        FirehoseStore store = store(null);
        store.create("s", FirehoseStore.S3, Map.of(), BufferingHints.of(1, 60));
        store.createAtStart("s");
        store.createAtStart("t");
        assertThat(store.describe("s").hints()).isEqualTo(BufferingHints.of(1, 60));
        assertThat(store.describe("t").status()).isEqualTo("ACTIVE");
        assertThat(store.describe("t").hints()).isEqualTo(BufferingHints.DEFAULTS);
    }
}
