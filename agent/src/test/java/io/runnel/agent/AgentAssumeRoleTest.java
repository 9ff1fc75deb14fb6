package io.runnel.agent;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.runnel.aggregation.DeaggregatedRecord;
import io.runnel.aggregation.Deaggregator;
import io.runnel.backend.KinesisBackend;
import io.runnel.backend.store.StoreSettings;
import io.runnel.wire.Endpoint;
import io.runnel.wire.NettyKinesisClient;
import io.runnel.wire.auth.AwsEnvironment;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.model.GetRecordsRequest;
import io.runnel.wire.model.GetRecordsResponse;
import io.runnel.wire.model.GetShardIteratorRequest;
import io.runnel.wire.model.ListShardsRequest;
import io.runnel.wire.model.StreamRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * agent.json's {@code assumeRoleARN}: the agent calls STS AssumeRole (a WireMock) signed with its source credentials,
 * and a backend that takes only the role's keys accepts the records.
 */
class AgentAssumeRoleTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/logs-writer";
    private static final Credentials SOURCE = Credentials.of("AKIASOURCE0000000001", "source-secret");
    private static final Credentials ROLE_KEYS = Credentials.of("ASIAROLE000000000001", "role-secret");

    @RegisterExtension
    static final WireMockExtension sts = WireMockExtension.newInstance()
            .options(options().dynamicPort().bindAddress("127.0.0.1")).build();
    @TempDir
    Path tmp;

    private void stubSts() {
        sts.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withBody("""
                <AssumeRoleResponse><AssumeRoleResult><Credentials>
                  <AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey>
                  <SessionToken>role-token</SessionToken><Expiration>%s</Expiration>
                </Credentials></AssumeRoleResult></AssumeRoleResponse>
                """.formatted(ROLE_KEYS.accessKeyId(), ROLE_KEYS.secretAccessKey(),
                Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)))));
    }

    private AgentConfig config(KinesisBackend backend, Path log) throws Exception {
        return AgentConfig.parse(new ObjectMapper().readTree("""
                {"checkpointFile": "%s", "kinesis.endpoint": "%s", "kinesis.region": "us-east-1",
                 "assumeRoleARN": "%s", "assumeRoleExternalId": "ext-42", "sts.endpoint": "http://127.0.0.1:%d",
                 "flows": [{"filePattern": "%s", "kinesisStream": "logs", "initialPosition": "START_OF_FILE"}],
                 "producer": {"RecordMaxBufferedTime": 20}}""".formatted(tmp.resolve("checkpoints.json"),
                backend.endpoint(), ROLE, sts.getPort(), log)));
    }

    @Test
    void theFlowsSignWithTheAssumedRolesKeys() throws Exception {
        stubSts();
        Path log = tmp.resolve("logs/app.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "one\ntwo\nthree\n");
        try (KinesisBackend backend = KinesisBackend.builder().port(0).dataDir(tmp.resolve("backend"))
                .settings(StoreSettings.defaults().withTransitionMillis(0).withLimits(false))
                .requireSignatures(ROLE_KEYS).createStream("logs", 1).start();
                NettyKinesisClient reader = NettyKinesisClient.builder()
                        .endpoint(Endpoint.of(backend.endpoint(), "us-east-1"))
                        .credentialsProvider(CredentialsProvider.of(ROLE_KEYS)).build()) {
            AgentConfig config = config(backend, log);
            assertThat(config.ignored()).isEmpty(); // assumeRoleARN and the rest are acted on now
            // The source credentials: the chain the agent is given (as ./runnel agent --profile gives one's chain).
            AtomicBoolean sourceClosed = new AtomicBoolean();
            CredentialsProvider chain = new CredentialsProvider() {
                @Override
                public Credentials resolveCredentials() {
                    return SOURCE;
                }

                @Override
                public void close() {
                    sourceClosed.set(true);
                }
            };
            Agent agent = new Agent(config, null, chain);
            try {
                agent.start();
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> lines(reader).containsAll(List.of("one", "two", "three")));
            } finally {
                agent.close();
            }
            assertThat(sourceClosed).as("the agent closes the credentials it was given").isTrue();
        }
        List<LoggedRequest> calls = sts.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .postRequestedFor(urlEqualTo("/")));
        assertThat(calls).isNotEmpty();
        LoggedRequest call = calls.get(0);
        assertThat(call.getHeader("Authorization")).contains("Credential=" + SOURCE.accessKeyId() + "/")
                .contains("/us-east-1/sts/aws4_request");
        assertThat(call.getBodyAsString()).contains("Action=AssumeRole",
                "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Flogs-writer",
                "RoleSessionName=" + Agent.ROLE_SESSION_NAME, "ExternalId=ext-42");
    }

    @Test
    void theFilesKeysAreTheSourceElseTheChainAndNoRoleMeansNoSts() throws Exception {
        AwsEnvironment env = new AwsEnvironment(Map.of(), new Properties(), tmp);
        AgentConfig keys = AgentConfig.parse(new ObjectMapper().readTree("""
                {"awsAccessKeyId": "AKIAFILE", "awsSecretAccessKey": "s",
                 "flows": [{"filePattern": "/tmp/a.log", "kinesisStream": "k"}]}"""));
        AtomicBoolean closed = new AtomicBoolean();
        CredentialsProvider chain = new CredentialsProvider() {
            @Override
            public Credentials resolveCredentials() {
                return SOURCE;
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        try (CredentialsProvider p = Agent.credentials(keys, chain, env, Map.of())) {
            assertThat(p.resolveCredentials().accessKeyId()).isEqualTo("AKIAFILE");
        }
        assertThat(closed).as("a chain the file's keys replace is closed at once").isTrue();

        assertThatThrownBy(() -> AgentConfig.parse(new ObjectMapper().readTree("""
                {"assumeRoleARN": "logs-writer", "flows": [{"filePattern": "/tmp/a.log", "kinesisStream": "k"}]}""")))
                .isInstanceOf(AgentConfigException.class).hasMessageContaining("$.assumeRoleARN: must be a role ARN");
        assertThatThrownBy(() -> AgentConfig.parse(new ObjectMapper().readTree("""
                {"assumeRoleExternalId": "x", "flows": [{"filePattern": "/tmp/a.log", "kinesisStream": "k"}]}""")))
                .isInstanceOf(AgentConfigException.class).hasMessageContaining("needs assumeRoleARN");
        AgentConfig noRole = AgentConfig.parse(new ObjectMapper().readTree("""
                {"sts.endpoint": "sts.eu-west-1.amazonaws.com",
                 "flows": [{"filePattern": "/tmp/a.log", "kinesisStream": "k"}]}"""));
        assertThat(noRole.ignored()).containsExactly("$.sts.endpoint (no assumeRoleARN)");
    }

    private static Set<String> lines(NettyKinesisClient reader) {
        Set<String> lines = new HashSet<>();
        for (var shard : reader.listShards(new ListShardsRequest("logs", null, null, null, null, null, null)).join()
                .shards()) {
            String it = reader.getShardIterator(new GetShardIteratorRequest("logs", null, shard.shardId(),
                    "TRIM_HORIZON", null, null)).join().shardIterator();
            while (it != null) {
                GetRecordsResponse r = reader.getRecords(new GetRecordsRequest(it, 10_000, null)).join();
                for (StreamRecord rec : r.records()) {
                    for (DeaggregatedRecord d : Deaggregator.deaggregate(rec.partitionKey(), null, rec.data())) {
                        lines.add(new String(d.data(), StandardCharsets.UTF_8));
                    }
                }
                if (r.records().isEmpty()) {
                    break;
                }
                it = r.nextShardIterator();
            }
        }
        return lines;
    }
}
