package io.runnel.backend.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runnel.backend.KinesisBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamStatus;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamType;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationDescription;
import software.amazon.awssdk.services.firehose.model.FirehoseException;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.firehose.model.ListDeliveryStreamsResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordBatchResponse;
import software.amazon.awssdk.services.firehose.model.PutRecordResponse;
import software.amazon.awssdk.services.firehose.model.Record;
import software.amazon.awssdk.services.firehose.model.ResourceInUseException;
import software.amazon.awssdk.services.firehose.model.ResourceNotFoundException;

/**
 * The AWS SDK v2 Firehose client, unchanged, against the backend: all six emulated actions, and the delivered files
 * hold exactly the records put, in order. Each record starts with its 4-byte index so a test can cut the files back
 * into records (Firehose adds no separators) and order the files.
 */
class FirehoseSdkIT {
    private static final int MIB = 1024 * 1024;

    @TempDir
    Path dataDir;
    private final SkippingTime time = new SkippingTime();

    private KinesisBackend start() {
        return KinesisBackend.builder().dataDir(dataDir).time(time).limits(false).start();
    }

    private static FirehoseClient firehose(URI endpoint) {
        return FirehoseClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "SECRET")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none()))
                .build();
    }

    private void createAndAwaitActive(FirehoseClient fh, String name, int sizeInMBs, int intervalInSeconds) {
        fh.createDeliveryStream(r -> r.deliveryStreamName(name).deliveryStreamType(DeliveryStreamType.DIRECT_PUT)
                .extendedS3DestinationConfiguration(d -> d.roleARN("arn:aws:iam::000000000000:role/firehose")
                        .bucketARN("arn:aws:s3:::bucket").prefix("ignored/")
                        .bufferingHints(b -> b.sizeInMBs(sizeInMBs).intervalInSeconds(intervalInSeconds))));
        time.skip(Duration.ofSeconds(1)); // past CREATING
        await().atMost(Duration.ofSeconds(30)).until(() -> fh.describeDeliveryStream(r -> r.deliveryStreamName(name))
                .deliveryStreamDescription().deliveryStreamStatus() == DeliveryStreamStatus.ACTIVE);
    }

    /** Record {@code index}: its index, then {@code length - 4} bytes derived from it. */
    private static byte[] record(int index, int length) {
        ByteBuffer b = ByteBuffer.allocate(Math.max(4, length)).putInt(index);
        while (b.hasRemaining()) {
            b.put((byte) (index * 31 + b.position()));
        }
        return b.array();
    }

    private List<Path> objects(String stream) {
        Path dir = dataDir.resolve("firehose").resolve(stream);
        if (!Files.exists(dir)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try {
            Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path f, java.nio.file.attribute.BasicFileAttributes a) {
                    if (a.isRegularFile()) {
                        files.add(f);
                    }
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                    if (e instanceof java.nio.file.NoSuchFileException) {
                        return java.nio.file.FileVisitResult.CONTINUE; // renamed once written, as the walk went by
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** The records delivered for {@code stream}, cut by the lengths put, with the files in delivery order. */
    private List<byte[]> delivered(String stream, List<byte[]> put) throws IOException {
        List<List<byte[]>> files = new ArrayList<>();
        for (Path p : objects(stream)) {
            assertThat(p.getFileName().toString()).matches(stream + "-1-\\d{4}(-\\d\\d){5}-[0-9a-f-]{36}");
            assertThat(dataDir.resolve("firehose").resolve(stream).relativize(p.getParent()).toString()
                    .replace('\\', '/')).matches("\\d{4}/\\d\\d/\\d\\d/\\d\\d");
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p));
            List<byte[]> records = new ArrayList<>();
            while (b.hasRemaining()) {
                int index = b.getInt(b.position());
                byte[] r = new byte[put.get(index).length];
                b.get(r);
                records.add(r);
            }
            files.add(records);
        }
        files.sort(Comparator.comparingInt(f -> ByteBuffer.wrap(f.get(0)).getInt()));
        return files.stream().flatMap(List::stream).toList();
    }

    @Test
    void allSixActionsAndEveryRecordDeliveredOnceInOrder() throws IOException {
        long seed = System.nanoTime();
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        List<byte[]> put = new ArrayList<>();
        try (KinesisBackend backend = start(); FirehoseClient fh = firehose(backend.endpoint())) {
            createAndAwaitActive(fh, "clicks", 1, 900);
            assertThatThrownBy(() -> fh.createDeliveryStream(r -> r.deliveryStreamName("clicks")
                    .s3DestinationConfiguration(d -> d.roleARN("r").bucketARN("b"))))
                    .isInstanceOf(ResourceInUseException.class);

            DeliveryStreamDescription d = fh.describeDeliveryStream(r -> r.deliveryStreamName("clicks"))
                    .deliveryStreamDescription();
            assertThat(d.deliveryStreamARN())
                    .isEqualTo("arn:aws:firehose:us-east-1:000000000000:deliverystream/clicks");
            assertThat(d.deliveryStreamType()).isEqualTo(DeliveryStreamType.DIRECT_PUT);
            assertThat(d.versionId()).isEqualTo("1");
            assertThat(d.createTimestamp()).isNotNull();
            assertThat(d.hasMoreDestinations()).isFalse();
            ExtendedS3DestinationDescription s3 = d.destinations().get(0).extendedS3DestinationDescription();
            assertThat(s3.bucketARN()).isEqualTo("arn:aws:s3:::bucket");
            assertThat(s3.prefix()).isEqualTo("ignored/");
            assertThat(s3.bufferingHints().sizeInMBs()).isEqualTo(1);
            assertThat(s3.bufferingHints().intervalInSeconds()).isEqualTo(900);
            assertThat(d.destinations().get(0).s3DestinationDescription().compressionFormatAsString())
                    .isEqualTo("UNCOMPRESSED");

            fh.createDeliveryStream(r -> r.deliveryStreamName("other")
                    .s3DestinationConfiguration(s -> s.roleARN("r").bucketARN("b")));
            ListDeliveryStreamsResponse first = fh.listDeliveryStreams(r -> r.limit(1));
            assertThat(first.deliveryStreamNames()).containsExactly("clicks");
            assertThat(first.hasMoreDeliveryStreams()).isTrue();
            assertThat(fh.listDeliveryStreams(r -> r.exclusiveStartDeliveryStreamName("clicks"))
                    .deliveryStreamNames()).containsExactly("other");

            put.add(record(0, 100));
            PutRecordResponse one = fh.putRecord(r -> r.deliveryStreamName("clicks")
                    .record(Record.builder().data(SdkBytes.fromByteArray(put.get(0))).build()));
            assertThat(one.recordId()).isNotEmpty();
            assertThat(one.encrypted()).isFalse();

            // Mixed sizes, from 4 bytes to 900 KiB, in batches under 4 MiB: size-triggered deliveries of 1 MiB.
            for (int batch = 0; batch < 4; batch++) {
                List<Record> records = new ArrayList<>();
                long bytes = 0;
                int count = 1 + random.nextInt(300);
                for (int i = 0; i < count; i++) {
                    int length = random.nextInt(10) == 0 ? 4 + random.nextInt(900 * 1024) : 4 + random.nextInt(2000);
                    if (bytes + length > 4L * MIB) {
                        break;
                    }
                    bytes += length;
                    byte[] data = record(put.size(), length);
                    put.add(data);
                    records.add(Record.builder().data(SdkBytes.fromByteArray(data)).build());
                }
                PutRecordBatchResponse r = fh.putRecordBatch(b -> b.deliveryStreamName("clicks").records(records));
                assertThat(r.failedPutCount()).as("seed %d", seed).isZero();
                assertThat(r.requestResponses()).hasSize(records.size())
                        .allSatisfy(e -> assertThat(e.recordId()).isNotEmpty());
            }
            long total = put.stream().mapToLong(b -> b.length).sum();
            assertThat(objects("clicks")).as("seed %d", seed).hasSizeGreaterThanOrEqualTo((int) (total / MIB) - 1)
                    .allSatisfy(p -> assertThat(Files.size(p)).isLessThanOrEqualTo(MIB));

            fh.deleteDeliveryStream(r -> r.deliveryStreamName("clicks")); // delivers the rest
            assertThatThrownBy(() -> fh.describeDeliveryStream(r -> r.deliveryStreamName("clicks")))
                    .isInstanceOf(ResourceNotFoundException.class)
                    .hasMessageContaining("Firehose clicks under account 000000000000 not found.");
            assertThat(fh.listDeliveryStreams(r -> { }).deliveryStreamNames()).containsExactly("other");
        }
        assertThat(delivered("clicks", put)).as("seed %d", seed).containsExactlyElementsOf(put);
    }

    @Test
    void aBufferIsDeliveredWhenItsIntervalPasses() throws IOException {
        try (KinesisBackend backend = start(); FirehoseClient fh = firehose(backend.endpoint())) {
            createAndAwaitActive(fh, "slow", 5, 60);
            List<byte[]> put = List.of(record(0, 10), record(1, 20));
            fh.putRecordBatch(b -> b.deliveryStreamName("slow").records(put.stream()
                    .map(d -> Record.builder().data(SdkBytes.fromByteArray(d)).build()).toList()));
            assertThat(objects("slow")).isEmpty();
            time.skip(Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(30)).until(() -> objects("slow").size() == 1);
            assertThat(delivered("slow", put)).containsExactlyElementsOf(put);
        }
    }

    @Test
    void deliveryStreamsSurviveARestartAndBuffersAreDeliveredAtClose() throws IOException {
        List<byte[]> put = List.of(record(0, 1000), record(1, 2000));
        try (KinesisBackend backend = start(); FirehoseClient fh = firehose(backend.endpoint())) {
            createAndAwaitActive(fh, "kept", 5, 300);
            fh.putRecord(r -> r.deliveryStreamName("kept").record(b -> b.data(SdkBytes.fromByteArray(put.get(0)))));
        }
        assertThat(objects("kept")).hasSize(1);
        try (KinesisBackend backend = start(); FirehoseClient fh = firehose(backend.endpoint())) {
            DeliveryStreamDescription d = fh.describeDeliveryStream(r -> r.deliveryStreamName("kept"))
                    .deliveryStreamDescription();
            assertThat(d.deliveryStreamStatus()).isEqualTo(DeliveryStreamStatus.ACTIVE);
            assertThat(d.destinations().get(0).extendedS3DestinationDescription().bufferingHints().intervalInSeconds())
                    .isEqualTo(300);
            fh.putRecord(r -> r.deliveryStreamName("kept").record(b -> b.data(SdkBytes.fromByteArray(put.get(1)))));
        }
        assertThat(delivered("kept", put)).containsExactlyElementsOf(put);
    }

    @Test
    void refusalsCarryFirehoseErrorTypes() {
        try (KinesisBackend backend = start(); FirehoseClient fh = firehose(backend.endpoint())) {
            createAndAwaitActive(fh, "s", 5, 300);
            assertThatThrownBy(() -> fh.putRecord(r -> r.deliveryStreamName("missing")
                    .record(b -> b.data(SdkBytes.fromUtf8String("x")))))
                    .isInstanceOf(ResourceNotFoundException.class);
            assertThatThrownBy(() -> fh.deleteDeliveryStream(r -> r.deliveryStreamName("missing")))
                    .isInstanceOf(ResourceNotFoundException.class);

            List<Record> tooMany = new ArrayList<>();
            for (int i = 0; i < 501; i++) {
                tooMany.add(Record.builder().data(SdkBytes.fromUtf8String("r" + i)).build());
            }
            assertThatThrownBy(() -> fh.putRecordBatch(b -> b.deliveryStreamName("s").records(tooMany)))
                    .isInstanceOfSatisfying(FirehoseException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                        assertThat(e.getMessage()).contains("'records'", "less than or equal to 500");
                    });

            SdkBytes oversize = SdkBytes.fromByteArray(new byte[1000 * 1024 + 1]);
            assertThatThrownBy(() -> fh.putRecord(r -> r.deliveryStreamName("s").record(b -> b.data(oversize))))
                    .isInstanceOfSatisfying(FirehoseException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                        assertThat(e.getMessage()).contains("'record.data'", "1024000");
                    });
            SdkBytes big = SdkBytes.fromByteArray(new byte[1000 * 1024]);
            assertThatThrownBy(() -> fh.putRecordBatch(b -> b.deliveryStreamName("s").records(
                    List.of(1, 2, 3, 4, 5).stream().map(i -> Record.builder().data(big).build()).toList())))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("4 MB");

            assertThatThrownBy(() -> fh.createDeliveryStream(r -> r.deliveryStreamName("bad name")
                    .s3DestinationConfiguration(d -> d.roleARN("r").bucketARN("b"))))
                    .isInstanceOfSatisfying(FirehoseException.class, e -> {
                        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
                        assertThat(e.getMessage()).contains("'deliveryStreamName'", "[a-zA-Z0-9_.-]+");
                    });
            assertThatThrownBy(() -> fh.createDeliveryStream(r -> r.deliveryStreamName("x".repeat(65))
                    .s3DestinationConfiguration(d -> d.roleARN("r").bucketARN("b"))))
                    .isInstanceOfSatisfying(FirehoseException.class,
                            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException"));
            assertThatThrownBy(() -> fh.createDeliveryStream(r -> r.deliveryStreamName("from-kinesis")
                    .deliveryStreamType(DeliveryStreamType.KINESIS_STREAM_AS_SOURCE)
                    .kinesisStreamSourceConfiguration(k -> k.kinesisStreamARN("arn:aws:kinesis:us-east-1:"
                            + "000000000000:stream/x").roleARN("r"))
                    .s3DestinationConfiguration(d -> d.roleARN("r").bucketARN("b"))))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("not emulated");
            assertThatThrownBy(() -> fh.createDeliveryStream(r -> r.deliveryStreamName("http")
                    .httpEndpointDestinationConfiguration(h -> h.endpointConfiguration(e -> e.url("https://x"))
                            .s3Configuration(d -> d.roleARN("r").bucketARN("b")))))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("not emulated");
        }
    }
}
