package io.runnel.cli;

import io.runnel.wire.auth.AwsEnvironment;
import io.runnel.wire.auth.Credentials;
import io.runnel.wire.auth.CredentialsException;
import io.runnel.wire.auth.CredentialsProvider;
import io.runnel.wire.auth.DefaultCredentialsProvider;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runnel credentials}: which source of the default chain answers, with what (the key id masked) and until
 * when — the first question when signing fails.
 */
@Command(name = "credentials", mixinStandardHelpOptions = true,
        description = {"Resolves AWS credentials as the producer, the agent and loadgen do (the AWS SDK v2's default",
            "chain) and says which source answered, the access key id (masked), whether there is a session token,",
            "when they expire, and the region. Exit status 1 when no source has credentials, with each one's reason."})
public final class CredentialsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--profile", description = "Use this profile (as AWS_PROFILE would).")
    String profile;

    @Option(names = "--region", description = "The region to report instead of the one the environment gives.")
    String region;

    // The process's environment, system properties and home; tests pass their own.
    Map<String, String> environment = System.getenv();
    Properties systemProperties = System.getProperties();
    Path home = Path.of(System.getProperty("user.home"));

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> env = ProfileChain.environment(environment, profile);
        try (DefaultCredentialsProvider chain = ProfileChain.chain(environment, systemProperties, home, profile)) {
            Credentials c;
            try {
                c = chain.resolveCredentials();
            } catch (CredentialsException e) {
                err.println("no credentials: " + e.getMessage());
                err.flush();
                return 1;
            }
            CredentialsProvider source = chain.lastSource();
            out.println("source        " + (source == null ? "?" : source.getClass().getSimpleName())
                    + (profile != null ? " (profile " + profile + ")" : ""));
            out.println("access key id " + mask(c.accessKeyId()));
            out.println("session token " + (c.sessionToken() == null ? "none" : "yes"));
            out.println("expires       " + (c.expiration() == null ? "never (long-term keys)" : c.expiration()));
            out.println("region        " + region(env));
            out.flush();
            return 0;
        }
    }

    /** The first four and last four characters; the rest hidden. */
    static String mask(String keyId) {
        if (keyId.length() <= 8) {
            return "*".repeat(keyId.length());
        }
        return keyId.substring(0, 4) + "*".repeat(keyId.length() - 8) + keyId.substring(keyId.length() - 4);
    }

    private String region(Map<String, String> env) {
        if (region != null) {
            return region + " (--region)";
        }
        AwsEnvironment.Setting r = new AwsEnvironment(env, systemProperties, home).region();
        return r == null ? "not set (give the producer's Region, or set AWS_REGION)"
                : r.value() + " (" + r.source() + ")";
    }
}
