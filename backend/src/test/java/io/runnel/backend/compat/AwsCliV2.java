package io.runnel.backend.compat;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
