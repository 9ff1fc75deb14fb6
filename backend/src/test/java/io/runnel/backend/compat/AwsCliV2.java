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

    /**
     * Runs {@code aws --endpoint-url ENDPOINT --output json --region us-east-1 kinesis ARGS} with placeholder
     * credentials and no profile files, writing its output under {@code tmp}.
     */
    static Output kinesis(String aws, java.net.URI endpoint, Path tmp, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(aws, "--endpoint-url", endpoint.toString(), "--output", "json",
                "--region", "us-east-1", "kinesis"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("AWS_PAGER", "");
        env.put("AWS_CONFIG_FILE", tmp.resolve("none-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("none-credentials").toString());
        env.remove("AWS_PROFILE");
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
