package io.runnel.backend.compat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Finds the real aws CLI v2 for the tests that drive it; CI sets RUNNEL_REQUIRE_AWS_CLI=1 so they cannot skip. */
final class AwsCliV2 {
    private AwsCliV2() {
    }

    /** The path of an aws CLI v2; skips the test (or fails it, under RUNNEL_REQUIRE_AWS_CLI=1) when there is none. */
    static String require() throws Exception {
        String aws = find();
        if (aws == null && "1".equals(System.getenv("RUNNEL_REQUIRE_AWS_CLI"))) {
            throw new AssertionError("RUNNEL_REQUIRE_AWS_CLI=1 but no aws CLI v2 was found (install Debian's awscli)");
        }
        assumeTrue(aws != null, "no aws CLI v2 on this machine");
        return aws;
    }

    /** What a CLI run printed. */
    record Output(int exit, String out, String err) {
    }

    private static List<String> kinesisArgs(java.net.URI endpoint, String... args) {
        List<String> all = new ArrayList<>(List.of("--endpoint-url", endpoint.toString(), "--output", "json",
                "--region", "us-east-1", "kinesis"));
        all.addAll(List.of(args));
        return all;
    }

    /** Placeholder credentials and no profile files. */
    private static void environment(Map<String, String> env, Path tmp) {
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_PAGER", "");
        env.put("AWS_CONFIG_FILE", tmp.resolve("none-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("none-credentials").toString());
        env.remove("AWS_PROFILE");
    }

    /**
     * Runs {@code aws --endpoint-url ENDPOINT --output json --region us-east-1 kinesis ARGS} with placeholder
     * credentials and no profile files, writing its output under {@code tmp}.
     */
    static Output kinesis(String aws, java.net.URI endpoint, Path tmp, String... args) throws Exception {
        return kinesis(aws, endpoint, tmp, Map.of(), args);
    }

    private static Output kinesis(String aws, java.net.URI endpoint, Path tmp, Map<String, String> extraEnv,
            String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(aws));
        cmd.addAll(kinesisArgs(endpoint, args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        environment(pb.environment(), tmp);
        pb.environment().putAll(extraEnv);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("aws " + String.join(" ", args) + " did not finish");
        }
        return new Output(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /**
     * The aws CLI run many times in one process: each call goes through the CLI's own entry point
     * ({@code awscli.clidriver.AWSCLIEntryPoint().main(args)}, what the {@code aws} script runs) with its own
     * output captured, but the interpreter starts and imports botocore's models once instead of once per command,
     * which is most of a CLI run's time. Where {@code aws} is not a Python script (the official installer's frozen
     * binary), every call starts {@code aws} as {@link #kinesis} does. Not thread-safe.
     */
    static final class Session implements AutoCloseable {
        private static final String DRIVER = String.join("\n",
                "import io, json, os, sys",
                "if os.environ.get('LC_CTYPE', '') == 'UTF-8':",
                "    os.environ['LC_CTYPE'] = 'en_US.UTF-8'",
                "import awscli.clidriver",
                "real_out, real_err = sys.stdout, sys.stderr",
                "for line in sys.stdin:",
                "    out = io.TextIOWrapper(io.BytesIO(), encoding='utf-8')",
                "    err = io.TextIOWrapper(io.BytesIO(), encoding='utf-8')",
                "    sys.stdout, sys.stderr = out, err",
                "    try:",
                "        rc = awscli.clidriver.AWSCLIEntryPoint().main(json.loads(line))",
                "    except SystemExit as e:",
                "        rc = e.code if isinstance(e.code, int) else 1",
                "    finally:",
                "        sys.stdout, sys.stderr = real_out, real_err",
                "    out.flush()",
                "    err.flush()",
                "    real_out.write(json.dumps({'exit': rc, 'out': out.buffer.getvalue().decode('utf-8', 'replace'),",
                "                               'err': err.buffer.getvalue().decode('utf-8', 'replace')}) + '\\n')",
                "    real_out.flush()",
                "");
        private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
                new com.fasterxml.jackson.databind.ObjectMapper();

        private final String aws;
        private final java.net.URI endpoint;
        private final Path tmp;
        private final Map<String, String> extraEnv;
        private final Process process; // null: one aws process per call
        private final java.io.BufferedWriter in;
        private final java.io.BufferedReader results;

        Session(String aws, java.net.URI endpoint, Path tmp) throws Exception {
            this(aws, endpoint, tmp, Map.of());
        }

        /** A session whose CLI runs with {@code extraEnv} on top of the placeholder environment. */
        Session(String aws, java.net.URI endpoint, Path tmp, Map<String, String> extraEnv) throws Exception {
            this.aws = aws;
            this.endpoint = endpoint;
            this.tmp = tmp;
            this.extraEnv = Map.copyOf(extraEnv);
            String interpreter = pythonOf(Path.of(aws));
            if (interpreter == null) {
                process = null;
                in = null;
                results = null;
                return;
            }
            Path driver = tmp.resolve("aws-driver.py");
            Files.writeString(driver, DRIVER);
            ProcessBuilder pb = new ProcessBuilder(interpreter, driver.toString())
                    .redirectError(tmp.resolve("aws-driver.err").toFile());
            environment(pb.environment(), tmp);
            pb.environment().putAll(extraEnv);
            process = pb.start();
            in = new java.io.BufferedWriter(new java.io.OutputStreamWriter(process.getOutputStream(),
                    StandardCharsets.UTF_8));
            results = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
        }

        /** The interpreter of a Python script (its {@code #!} line), or null when it is not one. */
        private static String pythonOf(Path script) throws Exception {
            byte[] head = new byte[128];
            int n;
            try (var s = Files.newInputStream(script)) {
                n = s.read(head);
            }
            String first = n <= 0 ? "" : new String(head, 0, n, StandardCharsets.ISO_8859_1).lines().findFirst()
                    .orElse("");
            if (!first.startsWith("#!") || !first.contains("python")) {
                return null;
            }
            String[] parts = first.substring(2).trim().split("\\s+");
            return parts[0].endsWith("/env") && parts.length > 1 ? parts[1] : parts[0];
        }

        /** Like {@link AwsCliV2#kinesis}, in this session's process. */
        Output kinesis(String... args) throws Exception {
            if (process == null) {
                return AwsCliV2.kinesis(aws, endpoint, tmp, extraEnv, args);
            }
            in.write(JSON.writeValueAsString(kinesisArgs(endpoint, args)));
            in.write('\n');
            in.flush();
            String line = results.readLine(); // the CLI's own timeouts bound each call
            if (line == null) {
                throw new AssertionError("the aws CLI driver ended: " + Files.readString(tmp.resolve(
                        "aws-driver.err")));
            }
            var r = JSON.readTree(line);
            return new Output(r.get("exit").asInt(), r.get("out").asText(), r.get("err").asText());
        }

        @Override
        public void close() throws Exception {
            if (process != null) {
                in.close();
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /**
     * The environment that lets an aws CLI whose bundled Kinesis model predates the ResourceARN actions
     * (PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy, TagResource, UntagResource, ListTagsForResource;
     * Debian bookworm's awscli 2.9.19 is one) call them: its own model plus those actions, taken from botocore's
     * current model (test resource {@code aws-cli/kinesis-resource-arn-operations.json}), written under {@code tmp} and
     * put first on the CLI's model search path ({@code AWS_DATA_PATH}), as {@code aws configure add-model} would.
     * Empty when the CLI already knows them or is not a Python script (its model then cannot be extended this way).
     */
    static Map<String, String> withResourceArnActions(String aws, Path tmp) throws Exception {
        String interpreter = Session.pythonOf(Path.of(aws));
        if (interpreter == null) {
            return Map.of();
        }
        Process p = new ProcessBuilder(interpreter, "-c", "import awscli.botocore, os; print(os.path.join("
                + "os.path.dirname(awscli.botocore.__file__), 'data', 'kinesis', '2013-12-02', 'service-2.json'))")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isRegularFile(Path.of(out))) {
            throw new AssertionError("cannot find the Kinesis model of " + aws + ": " + out);
        }
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var model = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(Path.of(out).toFile());
        if (model.get("operations").has("PutResourcePolicy")) {
            return Map.of();
        }
        com.fasterxml.jackson.databind.JsonNode extra;
        try (var in = AwsCliV2.class.getResourceAsStream("/aws-cli/kinesis-resource-arn-operations.json")) {
            extra = json.readTree(in);
        }
        for (String part : List.of("operations", "shapes")) {
            var into = (com.fasterxml.jackson.databind.node.ObjectNode) model.get(part);
            extra.get(part).fields().forEachRemaining(e -> {
                if (!into.has(e.getKey())) {
                    into.set(e.getKey(), e.getValue());
                }
            });
        }
        Path models = tmp.resolve("aws-models");
        Path file = models.resolve("kinesis/2013-12-02/service-2.json");
        Files.createDirectories(file.getParent());
        json.writeValue(file.toFile(), model);
        return Map.of("AWS_DATA_PATH", models.toString());
    }

    private static String find() throws Exception {
        List<String> candidates = new ArrayList<>(List.of("/usr/bin/aws", "/usr/local/bin/aws"));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            candidates.add(dir + "/aws");
        }
        for (String c : candidates) {
            if (!Files.isExecutable(Path.of(c))) {
                continue;
            }
            Process p = new ProcessBuilder(c, "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor(60, TimeUnit.SECONDS) && out.startsWith("aws-cli/2")) {
                return c;
            }
        }
        return null;
    }
}
