package io.runnel.cli.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.backend.KinesisBackend;
import io.runnel.backend.store.StoreSettings;
import io.runnel.wire.Endpoint;
import io.runnel.wire.HashKey;
import io.runnel.wire.KinesisClient;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.codec.Operation;
import io.runnel.wire.error.KinesisServiceException;
import io.runnel.wire.model.GetShardIteratorRequest;
import io.runnel.wire.model.ListShardsRequest;
import io.runnel.wire.model.PutRecordRequest;
import io.runnel.wire.model.Shard;
import io.runnel.wire.model.SplitShardRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stream reader against the bundled backend: shards are read side by side, and a key's records still reach the
 * sink in stream order across a split.
 */
class StreamReaderIT {
    private KinesisBackend backend;
    private NettyKinesisClient client;

    @BeforeEach
    void start() {
        backend = KinesisBackend.builder().port(0)
                .settings(StoreSettings.defaults().withTransitionMillis(0).withLimits(false))
                .createStream("two", 2).createStream("split", 1).start();
        client = NettyKinesisClient.builder().endpoint(Endpoint.of(backend.endpoint(), "us-east-1"))
                .credentialsProvider(CredentialsProvider.of(Credentials.of("a", "b"))).build();
    }

    @AfterEach
    void stop() {
        client.close();
        backend.close();
    }

    private void put(String stream, String key, String explicitHashKey, String data) {
        client.putRecord(new PutRecordRequest(stream, null, data.getBytes(StandardCharsets.UTF_8), key,
                explicitHashKey, null)).join();
    }

    /**
     * A client whose GetRecords answers wait until a second GetRecords is out at the same time (or, so that a reader
     * that reads one shard at a time still ends, 10 s after the first call), counting the most out at once.
     */
    private static final class OverlapClient implements KinesisClient {
        private final KinesisClient delegate;
        private final AtomicInteger out = new AtomicInteger();
        private final AtomicInteger mostAtOnce = new AtomicInteger();
        private final CompletableFuture<Void> overlapped = new CompletableFuture<>();

        OverlapClient(KinesisClient delegate) {
            this.delegate = delegate;
        }

        @Override
        public <R extends Record> CompletableFuture<R> execute(Operation operation, Record request,
                Class<R> responseType) {
            if (operation != Operation.GET_RECORDS) {
                return delegate.execute(operation, request, responseType);
            }
            int now = out.incrementAndGet();
            mostAtOnce.accumulateAndGet(now, Math::max);
            if (now >= 2) {
                overlapped.complete(null);
            }
            overlapped.completeOnTimeout(null, 10, TimeUnit.SECONDS);
            return overlapped.thenCompose(ignored -> delegate.execute(operation, request, responseType))
                    .whenComplete((r, e) -> out.decrementAndGet());
        }

        @Override
        public void close() {
        }
    }

    @Test
    void shardsAreReadSideBySide() throws Exception {
        for (int i = 0; i < 10; i++) {
            put("two", "k" + i, "0", "low-" + i);
            put("two", "k" + i, HashKey.MAX.toDecimalString(), "high-" + i);
        }
        OverlapClient overlap = new OverlapClient(client);
        List<String> read = new ArrayList<>();

        StreamReader.Counts counts = new StreamReader(overlap).read("two",
                (key, data, dropped) -> read.add(new String(data, StandardCharsets.UTF_8)));

        assertThat(overlap.mostAtOnce).as("GetRecords calls out at once").hasValue(2);
        assertThat(counts.shards()).isEqualTo(2);
        assertThat(counts.userRecords()).isEqualTo(20);
        assertThat(read.stream().filter(s -> s.startsWith("low-")).toList())
                .containsExactly("low-0", "low-1", "low-2", "low-3", "low-4", "low-5", "low-6", "low-7", "low-8",
                        "low-9");
        assertThat(read.stream().filter(s -> s.startsWith("high-")).toList())
                .containsExactly("high-0", "high-1", "high-2", "high-3", "high-4", "high-5", "high-6", "high-7",
                        "high-8", "high-9");
    }

    @Test
    void aShardThatCannotBeReadEndsTheReadWithItsError() {
        put("two", "k", "0", "low");
        put("two", "k", HashKey.MAX.toDecimalString(), "high");
        AtomicInteger calls = new AtomicInteger();
        KinesisClient failing = new KinesisClient() {
            @Override
            public <R extends Record> CompletableFuture<R> execute(Operation operation, Record request,
                    Class<R> responseType) {
                if (operation == Operation.GET_RECORDS && calls.incrementAndGet() == 1) {
                    return CompletableFuture.failedFuture(KinesisServiceException.of("AccessDeniedException",
                            "not this shard", 400, "r-1"));
                }
                return client.execute(operation, request, responseType);
            }

            @Override
            public void close() {
            }
        };

        assertThatThrownBy(() -> new StreamReader(failing).read("two", (key, data, dropped) -> { }))
                .isInstanceOf(KinesisServiceException.class).hasMessageContaining("not this shard");
    }

    /**
     * A client that holds back the answer to a shard's GetShardIterator until another shard's GetRecords has been
     * answered (or, so that a reader that keeps parents first still goes on, for 2 s): a reader that read a child
     * beside its parent would hand on the child's records first.
     */
    private static final class ParentLateClient implements KinesisClient {
        private final KinesisClient delegate;
        private final String parent;
        private final CompletableFuture<Void> otherAnswered = new CompletableFuture<>();

        ParentLateClient(KinesisClient delegate, String parent) {
            this.delegate = delegate;
            this.parent = parent;
        }

        @Override
        public <R extends Record> CompletableFuture<R> execute(Operation operation, Record request,
                Class<R> responseType) {
            if (request instanceof GetShardIteratorRequest r && r.shardId().equals(parent)) {
                otherAnswered.completeOnTimeout(null, 2, TimeUnit.SECONDS);
                return otherAnswered.thenCompose(ignored -> delegate.execute(operation, request, responseType));
            }
            CompletableFuture<R> answer = delegate.execute(operation, request, responseType);
            if (operation == Operation.GET_RECORDS) {
                answer.whenComplete((r, e) -> otherAnswered.complete(null));
            }
            return answer;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aKeysRecordsComeInStreamOrderAcrossASplit() throws Exception {
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            put("split", "k", null, "before-" + i);
            written.add("before-" + i);
        }
        Shard parent = client.listShards(new ListShardsRequest("split", null, null, null, null, null, null)).join()
                .shards().get(0);
        client.splitShard(new SplitShardRequest("split", null, parent.shardId(),
                HashKey.MAX.divide(2).toDecimalString())).join();
        for (int i = 0; i < 30; i++) {
            put("split", "k", null, "after-" + i);
            written.add("after-" + i);
        }
        List<String> read = new ArrayList<>();

        StreamReader.Counts counts = new StreamReader(new ParentLateClient(client, parent.shardId())).read("split",
                (key, data, dropped) -> read.add(new String(data, StandardCharsets.UTF_8)));

        assertThat(counts.shards()).isEqualTo(3);
        assertThat(read).containsExactlyElementsOf(written);
    }
}
