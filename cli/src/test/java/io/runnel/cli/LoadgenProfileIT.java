package io.runnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.backend.KinesisBackend;
import io.runnel.backend.store.StoreSettings;
import com.sun.net.httpserver.HttpServer;
import io.runnel.wire.auth.Credentials;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code loadgen --profile NAME} signs with that profile's keys: a backend that takes only the second profile's keys
 * accepts the run with {@code --profile writer} and refuses the one with the default profile. Without a profile and
 * without keys, a Kinesis on this machine gets placeholder keys and the instance metadata service is not asked.
 */
class LoadgenProfileIT {
    private static final Credentials WRITER = Credentials.of("AKIAWRITER0000000001", "writer-secret");

    @TempDir
    Path home;
    private KinesisBackend backend;
    private Map<String, String> env;

    private record Run(int exit, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        backend = KinesisBackend.builder().port(0)
                .settings(StoreSettings.defaults().withTransitionMillis(0).withLimits(false))
                .requireSignatures(WRITER).createStream("signed", 1).start();
        Path credentials = home.resolve("aws-credentials");
        Files.writeString(credentials, """
                [default]
                aws_access_key_id = AKIADEFAULT000000001
                aws_secret_access_key = default-secret

                [writer]
                aws_access_key_id = %s
                aws_secret_access_key = %s
                """.formatted(WRITER.accessKeyId(), WRITER.secretAccessKey()));
        env = Map.of("AWS_SHARED_CREDENTIALS_FILE", credentials.toString(),
                "AWS_CONFIG_FILE", home.resolve("aws-config").toString(), "AWS_EC2_METADATA_DISABLED", "true");
    }

    @AfterEach
    void stop() {
        backend.close();
    }

    private Run loadgen(String... args) throws Exception {
        return loadgen(backend, "signed", args);
    }

    private Run loadgen(KinesisBackend target, String stream, String... args) throws Exception {
        LoadgenCommand command = new LoadgenCommand();
        command.environment = env;
        command.systemProperties = new Properties();
        command.home = home;
        CommandLine cl = new CommandLine(command);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        Path config = home.resolve("producer.properties");
        Files.writeString(config, "RateLimit=1000000\nRecordMaxBufferedTime=50\n");
        String[] common = {"--endpoint", target.endpoint().toString(), "--stream", stream, "--records", "200",
            "--keys", "10", "--region", "us-east-1", "--config", config.toString()};
        String[] all = new String[common.length + args.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(args, 0, all, common.length, args.length);
        int exit = cl.execute(all);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void theNamedProfilesKeysSign() throws Exception {
        Run withProfile = loadgen("--profile", "writer");
        assertThat(withProfile.exit()).as(withProfile.out() + withProfile.err()).isZero();
        assertThat(withProfile.out()).contains("stream signed exists");

        Run withDefault = loadgen();
        assertThat(withDefault.exit()).isEqualTo(1);
        assertThat(withDefault.err()).contains("cannot get stream signed ready");
    }

    @Test
    void aLocalKinesisWithoutKeysDoesNotWaitForTheInstanceMetadataService() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        HttpServer metadata = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        metadata.createContext("/", exchange -> {
            asked.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        metadata.start();
        try (KinesisBackend open = KinesisBackend.builder().port(0)
                .settings(StoreSettings.defaults().withTransitionMillis(0).withLimits(false))
                .createStream("open", 1).start()) {
            env = Map.of("AWS_SHARED_CREDENTIALS_FILE", home.resolve("none").toString(),
                    "AWS_CONFIG_FILE", home.resolve("aws-config").toString(),
                    "AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + metadata.getAddress().getPort());
            Run r = loadgen(open, "open");
            assertThat(r.exit()).as(r.out() + r.err()).isZero();
            assertThat(asked).as("requests to the instance metadata service").hasValue(0);
        } finally {
            metadata.stop(0);
        }
    }

    @Test
    void aProfileWithoutCredentialsIsAnErrorNotPlaceholderKeys() throws Exception {
        Run r = loadgen("--profile", "missing");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("no AWS credentials", "missing");
    }
}
