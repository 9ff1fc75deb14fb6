package io.runnel.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * What this build of the CLI is: the project version and the git commit it was built from, as Maven wrote them into
 * {@value #RESOURCE} next to this class.
 *
 * @param version the project version, or {@code "development"} when the resource is missing (classes run from an IDE)
 * @param commit the abbreviated commit id, or {@code null} when the build had no git (a source tarball)
 */
record BuildInfo(String version, String commit) {
    static final String RESOURCE = "build-info.properties";

    private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-f]{7,40}");

    /** Reads {@value #RESOURCE}; a missing or unreadable resource gives a development build with no commit. */
    static BuildInfo load() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            // the same as no resource: --version must answer, not fail
        }
        return from(properties);
    }

    /**
     * The build described by {@code properties}: {@code version}, and {@code commit} when it is a commit id (not
     * "unknown", blank, or a placeholder Maven left unfiltered).
     */
    static BuildInfo from(Properties properties) {
        String version = properties.getProperty("version", "").strip();
        String commit = properties.getProperty("commit", "").strip();
        return new BuildInfo(version.isEmpty() || version.contains("${") ? "development" : version,
                COMMIT_ID.matcher(commit).matches() ? commit : null);
    }

    /** The one line {@code runnel --version} prints, e.g. {@code runnel 0.1.0 (commit 1a2b3c4d5e6f)}. */
    String describe() {
        return "runnel " + version + " (" + (commit == null ? "unknown commit" : "commit " + commit) + ")";
    }
}
