package io.runnel.wire.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Credentials of a named profile in the shared files the AWS CLI writes: {@code ~/.aws/credentials} (sections
 * {@code [name]}) and {@code ~/.aws/config} (sections {@code [profile name]}, or {@code [default]}). The credentials
 * file wins where both name a key. Locations follow {@code AWS_SHARED_CREDENTIALS_FILE} and {@code AWS_CONFIG_FILE},
 * the profile {@code AWS_PROFILE} (default {@code default}). Keys: {@code aws_access_key_id},
 * {@code aws_secret_access_key}, {@code aws_session_token}; {@code #} and {@code ;} start comments.
 *
 * <p>Thread-safe; reads the files on every call (cheap, and picks up a rotated key).
 */
public final class ProfileCredentialsProvider implements CredentialsProvider {
    private final Path credentialsFile;
    private final Path configFile;
    private final String profile;

    /** The profile and files the environment names, as the AWS CLI resolves them. */
    public ProfileCredentialsProvider() {
        this(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /** A named profile from the default files. */
    public ProfileCredentialsProvider(String profile) {
        this(defaultFile(System.getenv(), "AWS_SHARED_CREDENTIALS_FILE", Path.of(System.getProperty("user.home")),
                "credentials"), defaultFile(System.getenv(), "AWS_CONFIG_FILE",
                Path.of(System.getProperty("user.home")), "config"), profile);
    }

    ProfileCredentialsProvider(Map<String, String> env, Path home) {
        this(defaultFile(env, "AWS_SHARED_CREDENTIALS_FILE", home, "credentials"),
                defaultFile(env, "AWS_CONFIG_FILE", home, "config"),
                EnvironmentCredentialsProvider.trimToNull(env.get("AWS_PROFILE")) == null ? "default"
                        : env.get("AWS_PROFILE").trim());
    }

    /** A profile from explicit files (either may be null or missing). */
    public ProfileCredentialsProvider(Path credentialsFile, Path configFile, String profile) {
        this.credentialsFile = credentialsFile;
        this.configFile = configFile;
        this.profile = Objects.requireNonNull(profile, "profile");
    }

    private static Path defaultFile(Map<String, String> env, String variable, Path home, String name) {
        String value = EnvironmentCredentialsProvider.trimToNull(env.get(variable));
        if (value != null) {
            return Path.of(value.startsWith("~/") ? home + value.substring(1) : value);
        }
        return home.resolve(".aws").resolve(name);
    }

    @Override
    public Credentials resolveCredentials() {
        Map<String, String> merged = new HashMap<>();
        merged.putAll(section(configFile, profile.equals("default") ? "default" : "profile " + profile));
        if (!profile.equals("default")) {
            merged.putAll(section(configFile, profile));
        }
        merged.putAll(section(credentialsFile, profile));
        String id = EnvironmentCredentialsProvider.trimToNull(merged.get("aws_access_key_id"));
        String secret = EnvironmentCredentialsProvider.trimToNull(merged.get("aws_secret_access_key"));
        if (id == null || secret == null) {
            throw new CredentialsException("profile '" + profile + "': no aws_access_key_id and aws_secret_access_key"
                    + " in " + credentialsFile + " or " + configFile);
        }
        return new Credentials(id, secret, EnvironmentCredentialsProvider.trimToNull(merged.get("aws_session_token")),
                null);
    }

    /** The key/value pairs of section {@code [name]} of an INI file; empty when the file or section is missing. */
    static Map<String, String> section(Path file, String name) {
        Map<String, String> out = new HashMap<>();
        if (file == null || !Files.isRegularFile(file)) {
            return out;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CredentialsException("cannot read " + file + ": " + e.getMessage(), e);
        }
        boolean inSection = false;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                inSection = line.substring(1, line.length() - 1).strip().replaceAll("\\s+", " ").equals(name);
                continue;
            }
            int eq = line.indexOf('=');
            if (inSection && eq > 0 && !raw.startsWith(" ") && !raw.startsWith("\t")) {
                String value = line.substring(eq + 1).strip();
                int comment = value.indexOf(" #");
                if (comment < 0) {
                    comment = value.indexOf(" ;");
                }
                if (comment >= 0) {
                    value = value.substring(0, comment).strip();
                }
                out.put(line.substring(0, eq).strip().toLowerCase(Locale.ROOT), value);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "ProfileCredentialsProvider[profile=" + profile + ", " + credentialsFile + ", " + configFile + "]";
    }
}
