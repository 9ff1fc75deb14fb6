package io.runnel.cli;

import io.runnel.wire.auth.DefaultCredentialsProvider;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What {@code --profile NAME} means in every command ({@code credentials}, {@code loadgen}, {@code agent}): the
 * default chain, as the AWS CLI's {@code --profile}, with {@code AWS_PROFILE} set to the profile — so a profile's
 * {@code role_arn}, SSO or {@code credential_process} work as in the default chain, and the profile's region applies.
 */
final class ProfileChain {
    private ProfileChain() {
    }

    /** {@code environment} with {@code AWS_PROFILE} set to {@code profile}; unchanged when it is null. */
    static Map<String, String> environment(Map<String, String> environment, String profile) {
        Map<String, String> env = new HashMap<>(environment);
        if (profile != null) {
            env.put("AWS_PROFILE", profile);
        }
        return env;
    }

    /** The default chain over the environment with {@code profile} (null: as the environment names it). */
    static DefaultCredentialsProvider chain(Map<String, String> environment, Properties systemProperties, Path home,
            String profile) {
        return new DefaultCredentialsProvider(environment(environment, profile), systemProperties, home,
                Clock.systemUTC());
    }
}
