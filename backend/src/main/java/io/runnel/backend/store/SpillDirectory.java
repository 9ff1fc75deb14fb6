package io.runnel.backend.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an in-memory backend puts the records that no longer fit its memory budget: each shard keeps its newest
 * {@code hotBytesPerShard} of data on the heap and writes every record to scratch segment files
 * ({@link SegmentLog#scratch}) from which older records are read back. Retention trims those files like a durable
 * store's; nothing in them is ever reloaded — the backend stays in memory as far as its semantics go, and a restart
 * starts empty.
 *
 * <p>The directory is {@code <parent>/runnel-backend-<pid>-<random>}, made fresh by {@link #create}. It is removed
 * by {@link #close()} and, should the process exit without closing, by a shutdown hook. A process killed outright
 * leaves it behind: the next {@link #create} in the same parent removes every such directory whose process is gone,
 * and never one whose process is still alive.
 *
 * <p>Thread-safe for different streams; the store serialises changes to one stream.
 */
public final class SpillDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpillDirectory.class);
    /** Name of a spill directory: the owning process's id, then a random part. */
    static final Pattern NAME = Pattern.compile("runnel-backend-(\\d+)-[0-9a-f]{8}");

    /**
     * Data each shard keeps on the heap by default (a durable store's too): 2 MiB, so 64 busy shards hold 128 MiB and
     * the launcher's 384 MiB heap keeps room for requests in flight and the collector. Reads of older records cost a
     * positional read from a file the OS most likely still caches.
     */
    public static final long DEFAULT_HOT_BYTES_PER_SHARD = 2L * 1024 * 1024;
    /** Size at which spill segments roll by default; retention deletes whole segments. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;

    private final Path root;
    private final long segmentBytes;
    private final long hotBytesPerShard;
    private final Thread shutdownHook;
    private boolean closed; // guarded by this

    private SpillDirectory(Path root, long segmentBytes, long hotBytesPerShard) {
        this.root = root;
        this.segmentBytes = segmentBytes;
        this.hotBytesPerShard = hotBytesPerShard;
        this.shutdownHook = new Thread(this::deleteQuietly, "runnel-backend-spill-cleanup");
    }

    /**
     * A new spill directory under {@code java.io.tmpdir} with the default budget and segment size.
     *
     * @return the spill directory, removed at exit
     * @throws UncheckedIOException when it cannot be made
     */
    public static SpillDirectory createTemporary() {
        return create(Path.of(System.getProperty("java.io.tmpdir")), DEFAULT_SEGMENT_BYTES,
                DEFAULT_HOT_BYTES_PER_SHARD);
    }

    /**
     * Makes a new spill directory under {@code parent} (created when missing), first removing the spill directories
     * there whose process is gone.
     *
     * @param parent           the directory to make it in
     * @param segmentBytes     size at which segment files roll, at least 4096
     * @param hotBytesPerShard data each shard keeps on the heap; older records are read back from the files
     * @return the spill directory, removed at exit
     * @throws IllegalArgumentException when a size is out of range
     * @throws UncheckedIOException     when a directory cannot be made
     */
    public static SpillDirectory create(Path parent, long segmentBytes, long hotBytesPerShard) {
        return create(parent, segmentBytes, hotBytesPerShard, ProcessHandle.current().pid(),
                SpillDirectory::processAlive);
    }

    /** As {@link #create(Path, long, long)}, as process {@code pid} where {@code alive} says which processes run. */
    static SpillDirectory create(Path parent, long segmentBytes, long hotBytesPerShard, long pid,
            LongPredicate alive) {
        Objects.requireNonNull(parent, "parent");
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("segmentBytes must be at least 4096, was " + segmentBytes);
        }
        if (hotBytesPerShard < 0) {
            throw new IllegalArgumentException("hotBytesPerShard must not be negative: " + hotBytesPerShard);
        }
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create spill parent directory " + parent, e);
        }
        removeStale(parent, alive);
        Path root = parent.resolve("runnel-backend-" + pid + "-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            Files.createDirectory(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create spill directory " + root, e);
        }
        SpillDirectory spill = new SpillDirectory(root, segmentBytes, hotBytesPerShard);
        Runtime.getRuntime().addShutdownHook(spill.shutdownHook);
        LOG.debug("spilling records older than the newest {} bytes per shard to {}", hotBytesPerShard, root);
        return spill;
    }

    private static boolean processAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Removes the spill directories under {@code parent} whose owning process is not alive.
     *
     * @return the directories removed
     */
    static List<Path> removeStale(Path parent, LongPredicate alive) {
        List<Path> removed = new ArrayList<>();
        try (Stream<Path> entries = Files.list(parent)) {
            for (Path dir : entries.toList()) {
                Matcher m = NAME.matcher(dir.getFileName().toString());
                if (!m.matches() || !Files.isDirectory(dir)) {
                    continue;
                }
                long owner;
                try {
                    owner = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (alive.test(owner)) {
                    continue;
                }
                try {
                    deleteTree(dir);
                    removed.add(dir);
                    LOG.info("removed {}, left by backend process {} that is gone", dir, owner);
                } catch (UncheckedIOException e) {
                    LOG.warn("cannot remove stale spill directory {}: {}", dir, e.getCause().toString());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot look for stale spill directories in {}: {}", parent, e.toString());
        }
        return removed;
    }

    /** {@return the directory itself: {@code <parent>/runnel-backend-<pid>-<random>}} */
    public Path root() {
        return root;
    }

    /** {@return the bytes of data each shard keeps on the heap} */
    public long hotBytesPerShard() {
        return hotBytesPerShard;
    }

    private Path dirOf(StreamState stream) {
        StringBuilder hex = new StringBuilder();
        for (byte b : stream.name().getBytes(StandardCharsets.UTF_8)) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return root.resolve(hex + "-" + stream.creationMillis());
    }

    /** A new, empty log for a shard, spilling to its own segment directory. */
    ShardLog openShard(StreamState stream, int shardIndex) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("spill directory " + root + " is closed");
            }
        }
        Path dir = dirOf(stream).resolve("shard-" + shardIndex);
        return new ShardLog(shardIndex, SegmentLog.scratch(dir, segmentBytes), hotBytesPerShard);
    }

    /** Removes a deleted stream's files. */
    void delete(StreamState stream) {
        for (ShardState shard : stream.shards()) {
            shard.log().closeFiles();
        }
        deleteTree(dirOf(stream));
    }

    /** Removes the files of a shard the stream no longer holds. */
    void deleteShard(StreamState stream, ShardState shard) {
        shard.log().closeFiles();
        deleteTree(dirOf(stream).resolve("shard-" + shard.index()));
    }

    /** Removes the directory and everything in it. The store must have closed its shards' files. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs, or ran, anyway
        }
        deleteTree(root);
    }

    private void deleteQuietly() {
        try {
            deleteTree(root);
        } catch (UncheckedIOException e) {
            LOG.warn("cannot remove spill directory {}: {}", root, e.getCause().toString());
        }
    }

    /** Deletes {@code dir} and everything under it; a directory or file already gone is fine. */
    static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    if (exc != null && !(exc instanceof NoSuchFileException)) {
                        throw exc;
                    }
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException gone) {
            // nothing to delete
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
