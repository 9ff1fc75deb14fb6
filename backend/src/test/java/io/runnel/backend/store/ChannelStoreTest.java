package io.runnel.backend.store;

import static org.assertj.core.api.Assertions.assertThat;
import static io.runnel.backend.store.StoreAssertions.assertRefused;

import io.runnel.wire.model.ChannelDescription;
import io.runnel.wire.model.ChannelLoggingConfiguration;
import io.runnel.wire.model.ChannelLoggingUpdateInput;
import io.runnel.wire.model.ChannelStreamConfiguration;
import io.runnel.wire.model.CloudWatchLogs;
import io.runnel.wire.model.CreateChannelRequest;
import io.runnel.wire.model.PartitionField;
import io.runnel.wire.model.PartitionSpec;
import io.runnel.wire.model.RecordConfiguration;
import io.runnel.wire.model.S3DestinationConfiguration;
import io.runnel.wire.model.S3DestinationUpdateInput;
import io.runnel.wire.model.S3StorageConfiguration;
import io.runnel.wire.model.S3TablesConfiguration;
import io.runnel.wire.model.S3TablesDestinationConfiguration;
import io.runnel.wire.model.S3TablesDestinationUpdateInput;
import io.runnel.wire.model.StreamFilter;
import io.runnel.wire.model.UpdateChannelRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CreateChannel, DescribeChannel, ListChannels, UpdateChannel and DeleteChannel in the store. */
class ChannelStoreTest {
    private static final String ROLE = "arn:aws:iam::000000000000:role/channel";
    private static final S3DestinationConfiguration S3 = new S3DestinationConfiguration(60, null,
            new S3StorageConfiguration("arn:aws:s3:::bucket", null, null, "STANDARD", "GZIP"));

    @TempDir
    Path dir;

    private final ManualTime time = new ManualTime(1_764_000_000_000L);

    private StreamStore open() {
        return new StreamStore(StoreSettings.defaults(), time, new IteratorTokens(), new DataDirectory(dir, 4096));
    }

    private StreamState active(StreamStore s, String name, StreamState.Mode mode) {
        StreamState stream = s.createStream(name, mode == StreamState.Mode.ON_DEMAND ? null : 1, mode);
        time.advanceMillis(s.settings().transitionMillis());
        return stream;
    }

    /** Lets the second pass so the next five channel calls are within the limit. */
    private void nextSecond() {
        time.advanceMillis(1000);
    }

    private static CreateChannelRequest create(String name, String streamArn, Map<String, String> tags) {
        return new CreateChannelRequest(name, ROLE, List.of(new ChannelStreamConfiguration(streamArn,
                new RecordConfiguration("JSON", null))), S3, null, null, tags, null);
    }

    @Test
    void aChannelIsCreatingThenActiveAndDescribedWithItsSources() {
        StreamStore store = open();
        StreamState s = active(store, "src", StreamState.Mode.ON_DEMAND);
        ChannelDescription d = store.channels().create(create("c1", s.arn(), Map.of("team", "a")));
        assertThat(d.channelStatus()).isEqualTo("CREATING");
        assertThat(d.channelARN()).isEqualTo("arn:aws:kinesis:us-east-1:000000000000:channel/c1");
        assertThat(d.channelId()).matches("[a-z0-9]{20}-[a-z0-9]{3}");
        assertThat(d.channelCreationTimestamp()).isEqualTo(Instant.ofEpochMilli(time.millis()));
        assertThat(d.serviceExecutionRoleARN()).isEqualTo(ROLE);
        assertThat(d.streamConfigurationList()).hasSize(1);
        assertThat(d.streamConfigurationList().get(0).streamARN()).isEqualTo(s.arn());
        assertThat(d.streamConfigurationList().get(0).streamCreationTimestamp())
                .isEqualTo(Instant.ofEpochMilli(s.creationMillis()));
        assertThat(d.s3DestinationConfiguration()).isEqualTo(S3);
        assertThat(store.channels().tags(d.channelARN())).isEqualTo(Map.of("team", "a"));
        time.advanceMillis(store.settings().transitionMillis());
        assertThat(store.channels().describe(d.channelARN()).channelStatus()).isEqualTo("ACTIVE");
    }

    @Test
    void sourceStreamsMustExistAndBeOnDemand() {
        StreamStore store = open();
        StreamState provisioned = active(store, "p", StreamState.Mode.PROVISIONED);
        assertRefused(() -> store.channels().create(create("c", provisioned.arn(), null)),
                StoreException.INVALID_ARGUMENT, "ON_DEMAND");
        assertRefused(() -> store.channels().create(create("c", store.arnOf("missing"), null)),
                StoreException.RESOURCE_NOT_FOUND, "missing");
    }

    @Test
    void createIsValidated() {
        StreamStore store = open();
        String arn = active(store, "src", StreamState.Mode.ON_DEMAND).arn();
        ChannelStore c = store.channels();
        assertRefused(() -> c.create(create("bad name", arn, null)), StoreException.VALIDATION, "channelName");
        assertRefused(() -> c.create(new CreateChannelRequest("c", "role", List.of(new ChannelStreamConfiguration(arn,
                null)), S3, null, null, null, null)), StoreException.VALIDATION, "serviceExecutionRoleARN");
        assertRefused(() -> c.create(new CreateChannelRequest("c", ROLE, List.of(), S3, null, null, null, null)),
                StoreException.VALIDATION, "streamConfigurationList");
        nextSecond();
        assertRefused(() -> c.create(new CreateChannelRequest("c", ROLE, List.of(new ChannelStreamConfiguration(arn,
                null)), null, null, null, null, null)), StoreException.INVALID_ARGUMENT, "Exactly one");
        assertRefused(() -> c.create(new CreateChannelRequest("c", ROLE, List.of(new ChannelStreamConfiguration(arn,
                new RecordConfiguration("GSR_JSON", null))), S3, null, null, null, null)),
                StoreException.INVALID_ARGUMENT, "GSRSchemaARN");
        assertRefused(() -> c.create(new CreateChannelRequest("c", ROLE, List.of(new ChannelStreamConfiguration(arn,
                new RecordConfiguration("XML", null))), S3, null, null, null, null)),
                StoreException.VALIDATION, "recordFormatType");
        assertRefused(() -> c.create(create("c", arn, Map.of("aws:x", "y"))), StoreException.INVALID_ARGUMENT,
                "aws:");
        nextSecond();
        assertRefused(() -> c.create(new CreateChannelRequest("c", ROLE, List.of(new ChannelStreamConfiguration(arn,
                null)), null, new S3TablesDestinationConfiguration(null, null, List.of(new S3TablesConfiguration(
                        "arn:tb", "ns", null, null, null))), null, null, null)),
                StoreException.VALIDATION, "tableName");
        c.create(create("c", arn, null));
        assertRefused(() -> c.create(create("c", arn, null)), StoreException.RESOURCE_IN_USE, "already exists");
    }

    @Test
    void theSixthChannelCallWithinASecondIsRefused() {
        StreamStore store = open();
        String arn = active(store, "src", StreamState.Mode.ON_DEMAND).arn();
        ChannelStore c = store.channels();
        String channel = c.create(create("c", arn, null)).channelARN();
        for (int i = 0; i < 4; i++) {
            c.describe(channel);
        }
        assertRefused(() -> c.list(null, null, null), StoreException.LIMIT_EXCEEDED, "Rate exceeded");
        time.advanceMillis(999);
        assertRefused(() -> c.describe(channel), StoreException.LIMIT_EXCEEDED, "Rate exceeded");
        time.advanceMillis(1);
        assertThat(c.describe(channel).channelName()).isEqualTo("c");
    }

    @Test
    void updateChangesFreshnessAndLoggingOfAnActiveChannel() {
        StreamStore store = open();
        String arn = active(store, "src", StreamState.Mode.ON_DEMAND).arn();
        ChannelStore c = store.channels();
        String channel = c.create(create("c", arn, null)).channelARN();
        UpdateChannelRequest update = new UpdateChannelRequest(channel, new S3DestinationUpdateInput(300), null,
                new ChannelLoggingUpdateInput(new CloudWatchLogs(true, "group", null)));
        assertRefused(() -> c.update(update), StoreException.RESOURCE_IN_USE, "CREATING");
        time.advanceMillis(store.settings().transitionMillis());
        ChannelDescription d = c.update(update);
        assertThat(d.channelStatus()).isEqualTo("UPDATING");
        assertThat(d.s3DestinationConfiguration().dataFreshnessInSeconds()).isEqualTo(300);
        assertThat(d.s3DestinationConfiguration().storageConfiguration()).isEqualTo(S3.storageConfiguration());
        assertThat(d.loggingConfiguration()).isEqualTo(new ChannelLoggingConfiguration(
                new CloudWatchLogs(true, "group", null)));
        assertRefused(() -> c.update(update), StoreException.RESOURCE_IN_USE, "UPDATING");
        nextSecond();
        assertThat(c.describe(channel).channelStatus()).isEqualTo("ACTIVE");
        assertRefused(() -> c.update(new UpdateChannelRequest(channel, null, new S3TablesDestinationUpdateInput(5),
                null)), StoreException.INVALID_ARGUMENT, "no S3 Tables destination");
        assertRefused(() -> c.update(new UpdateChannelRequest(channel, null, null, null)),
                StoreException.INVALID_ARGUMENT, "needs");
    }

    @Test
    void listPagesInNameOrderAndFiltersByStream() {
        StreamStore store = open();
        String a = active(store, "a", StreamState.Mode.ON_DEMAND).arn();
        String b = active(store, "b", StreamState.Mode.ON_DEMAND).arn();
        ChannelStore c = store.channels();
        c.create(create("x2", a, null));
        c.create(create("x1", b, null));
        nextSecond();
        c.create(new CreateChannelRequest("x3", ROLE, List.of(new ChannelStreamConfiguration(a, null)), null,
                new S3TablesDestinationConfiguration(30, null, List.of(new S3TablesConfiguration("arn:tb", "ns", "t",
                        "ZSTD", new PartitionSpec(List.of(new PartitionField("TIME_HOUR", "ts")))))), null, null,
                null));
        ChannelStore.Page first = c.list(null, 2, null);
        assertThat(first.channels()).extracting(s -> s.channelName()).containsExactly("x1", "x2");
        assertThat(first.more()).isTrue();
        ChannelStore.Page rest = c.list(null, 2, "x2");
        assertThat(rest.channels()).extracting(s -> s.channelName()).containsExactly("x3");
        assertThat(rest.channels().get(0).channelDestinationType()).isEqualTo("S3_TABLES");
        assertThat(rest.more()).isFalse();
        assertThat(c.list(List.of(new StreamFilter(a, null)), null, null).channels())
                .extracting(s -> s.channelName()).containsExactly("x2", "x3");
        nextSecond();
        assertThat(c.list(List.of(new StreamFilter(a, Instant.EPOCH)), null, null).channels()).isEmpty();
        assertRefused(() -> c.list(null, 0, null), StoreException.VALIDATION, "maxResults");
    }

    @Test
    void aDeletedChannelIsDeletingThenGone() {
        StreamStore store = open();
        String arn = active(store, "src", StreamState.Mode.ON_DEMAND).arn();
        ChannelStore c = store.channels();
        String channel = c.create(create("c", arn, null)).channelARN();
        c.delete(channel);
        assertThat(c.describe(channel).channelStatus()).isEqualTo("DELETING");
        c.delete(channel);
        time.advanceMillis(store.settings().transitionMillis() + 1000);
        assertRefused(() -> c.describe(channel), StoreException.RESOURCE_NOT_FOUND, "not found");
        assertThat(c.list(null, null, null).channels()).isEmpty();
        assertRefused(() -> c.describe("arn:aws:kinesis:us-east-1:000000000000:stream/x"),
                StoreException.INVALID_ARGUMENT, "not a valid");
        nextSecond();
        assertThat(c.create(create("c", arn, null)).channelStatus()).isEqualTo("CREATING");
    }

    @Test
    void channelsSurviveARestart() throws Exception {
        StreamStore store = open();
        String arn = active(store, "src", StreamState.Mode.ON_DEMAND).arn();
        ChannelDescription created = store.channels().create(new CreateChannelRequest("kept", ROLE,
                List.of(new ChannelStreamConfiguration(arn, new RecordConfiguration("GSR_JSON", "arn:schema"))), S3,
                null, new io.runnel.wire.model.ChannelEncryptionConfiguration("KMS", "alias/k"),
                Map.of("k", "v"), new ChannelLoggingConfiguration(new CloudWatchLogs(false, null, null))));
        String gone = store.channels().create(create("gone", arn, null)).channelARN();
        store.channels().delete(gone);
        store.close();
        StreamStore again = open();
        ChannelDescription d = again.channels().describe(created.channelARN());
        assertThat(d).isEqualTo(created);
        assertThat(again.channels().tags(created.channelARN())).isEqualTo(Map.of("k", "v"));
        assertThat(again.channels().describe(gone).channelStatus()).isEqualTo("DELETING");
        time.advanceMillis(again.settings().transitionMillis());
        assertThat(again.channels().describe(created.channelARN()).channelStatus()).isEqualTo("ACTIVE");
        again.close();
        StreamStore third = open();
        assertRefused(() -> third.channels().describe(gone), StoreException.RESOURCE_NOT_FOUND, "not found");
        third.close();
    }
}
