package io.runnel.agent;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * A flow's {@code filePattern}: an absolute path whose segments may each be a glob ({@code *}, {@code ?},
 * {@code [...]}, {@code {a,b}}) within that one segment: with {@code app-*} as a directory segment and {@code x*.log}
 * as the file name, {@code x1.log} matches in every directory {@code /var/log/app-...}. A glob never crosses a
 * {@code /}; {@code **} (any depth) is refused (the Kinesis Agent itself matches in the file name only). Directories
 * are listed again at each look, so new ones are found; rotation is tracked per file as before. Immutable.
 */
final class FilePattern {
    private final Path base; // the longest leading part without a glob: always a directory path
    private final List<Segment> directories; // the directory segments after base, literal or glob
    private final PathMatcher fileName;

    /** One directory segment: a literal name, or a glob over names. */
    private record Segment(String literal, PathMatcher glob) {
    }

    private FilePattern(Path base, List<Segment> directories, PathMatcher fileName) {
        this.base = base;
        this.directories = directories;
        this.fileName = fileName;
    }

    /**
     * Parses {@code pattern}.
     *
     * @throws IllegalArgumentException with a message for the configuration's error (not absolute, {@code **}, a glob
     *                                  in the root, a malformed glob)
     */
    static FilePattern parse(String pattern) {
        Path p = Path.of(pattern);
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException("must be an absolute path");
        }
        if (AgentConfig.hasGlob(p.getRoot().toString())) {
            throw new IllegalArgumentException("a wildcard in the root (" + p.getRoot() + ") cannot be matched");
        }
        if (pattern.contains("**")) {
            throw new IllegalArgumentException("'**' (any depth) is not supported: one wildcard matches within one"
                    + " path segment, as in /var/log/*/app.log");
        }
        if (p.getNameCount() == 0) {
            throw new IllegalArgumentException("names no file");
        }
        Path base = p.getRoot();
        List<Segment> dirs = new ArrayList<>();
        for (int i = 0; i < p.getNameCount() - 1; i++) {
            String name = p.getName(i).toString();
            if (dirs.isEmpty() && !AgentConfig.hasGlob(name)) {
                base = base.resolve(name);
            } else if (AgentConfig.hasGlob(name)) {
                dirs.add(new Segment(null, matcher(name)));
            } else {
                dirs.add(new Segment(name, null));
            }
        }
        return new FilePattern(base, List.copyOf(dirs), matcher(p.getFileName().toString()));
    }

    private static PathMatcher matcher(String glob) {
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("'" + glob + "' is not a glob: " + e.getDescription());
        }
    }

    /** Whether some directory segment has a glob. */
    boolean globsDirectories() {
        return directories.stream().anyMatch(s -> s.glob() != null);
    }

    /**
     * The directories that match the pattern's directory part now (directories created since the last call
     * included); none when the leading literal directory does not exist. Not sorted.
     */
    List<Path> directories() throws IOException {
        List<Path> level = new ArrayList<>();
        if (Files.isDirectory(base)) {
            level.add(base);
        }
        for (Segment s : directories) {
            List<Path> next = new ArrayList<>();
            for (Path dir : level) {
                if (s.literal() != null) {
                    Path child = dir.resolve(s.literal());
                    if (Files.isDirectory(child)) {
                        next.add(child);
                    }
                    continue;
                }
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                    for (Path child : ds) {
                        if (s.glob().matches(child.getFileName()) && Files.isDirectory(child)) {
                            next.add(child);
                        }
                    }
                } catch (NoSuchFileException | NotDirectoryException gone) {
                    // removed between two looks
                }
            }
            level = next;
        }
        return level;
    }

    /** Whether a file name (the last segment only) matches. */
    boolean matchesFileName(Path name) {
        return fileName.matches(name);
    }

    /**
     * Whether a file is compressed ({@code .gz}, {@code .bz2}, {@code .zip}, any case): as the Kinesis Agent does,
     * such files are not tailed even when the pattern matches them ({@code app.log*} also matches what logrotate
     * compressed).
     */
    static boolean compressed(Path name) {
        String n = name.toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".gz") || n.endsWith(".bz2") || n.endsWith(".zip");
    }
}
