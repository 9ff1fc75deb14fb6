package io.runnel.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * What each directory of a flow held at its last listing, and whether it may have changed since. Creating, removing or
 * renaming an entry sets a directory's modification time, so a directory whose time is the one read before its last
 * listing holds the same names for the same files, and that listing stands in for a new one: an agent tailing quiet
 * files then reads one time per directory per poll, not every entry's attributes ten times a second.
 *
 * <p>Two limits keep that safe. File systems keep times coarsely (a clock tick, up to seconds on some), so a change in
 * the same tick as the one before a listing leaves the time as it was: a listing counts only once its directory's time
 * was {@link #SETTLE_MILLIS} old when it was read. And every directory is listed again at least every
 * {@link #RELIST_NANOS} (the Kinesis Agent's {@code maxTimeBetweenFileTrackerRefreshMillis}), whatever its time says
 * (a network file system's cached or skewed times). Confined to the agent's thread.
 */
final class DirectoryListings {
    /** How old a directory's time must be for a listing made then to stand in for later ones. */
    static final long SETTLE_MILLIS = 2_000;
    /** The longest a listing stands in for new ones. */
    static final long RELIST_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Lists a directory's files of interest into {@code into}, by file key. */
    interface Lister {
        void list(Path dir, Map<String, Path> into) throws IOException;
    }

    private record Listing(FileTime time, boolean settled, long listedNanos, Map<String, Path> files) {
    }

    private final Map<Path, Listing> listings = new HashMap<>();
    private final LongSupplier wallMillis;
    private final LongSupplier nanos;

    /**
     * @param wallMillis the wall clock file times are compared with ({@link System#currentTimeMillis})
     * @param nanos      a monotonic clock ({@link System#nanoTime})
     */
    DirectoryListings(LongSupplier wallMillis, LongSupplier nanos) {
        this.wallMillis = wallMillis;
        this.nanos = nanos;
    }

    /**
     * Adds {@code dir}'s files to {@code seen}: those of its last listing when it has not changed since, else those
     * {@code lister} finds now. A directory that is gone adds nothing.
     */
    void files(Path dir, Lister lister, Map<String, Path> seen) throws IOException {
        FileTime time;
        try {
            time = Files.getLastModifiedTime(dir);
        } catch (NoSuchFileException gone) {
            listings.remove(dir);
            return;
        }
        long now = nanos.getAsLong();
        Listing last = listings.get(dir);
        if (last != null && last.settled() && last.time().equals(time) && now - last.listedNanos() < RELIST_NANOS) {
            seen.putAll(last.files());
            return;
        }
        boolean settled = wallMillis.getAsLong() - time.toMillis() >= SETTLE_MILLIS; // read before the listing
        Map<String, Path> files = new HashMap<>();
        lister.list(dir, files);
        listings.put(dir, new Listing(time, settled, now, files));
        seen.putAll(files);
    }

    /** Forgets the directories not in {@code dirs} (no longer under the pattern, or gone). */
    void retain(Collection<Path> dirs) {
        listings.keySet().retainAll(dirs);
    }
}
