package io.runnel.backend.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable form of one shard's records: append-only segment files in one directory, each named after the
 * position of its first record ({@code 00000000000000000000.seg}) and rolled at a size limit.
 *
 * <p>A segment is a sequence of frames: {@code u32 length | u32 crc32c | body}, the body being
 * {@code i64 counter | i64 arrivalMillis | i32 partitionKeyLength (-1: none) | partition key UTF-8 | data}.
 * {@link #open} reads every segment back; a frame that is incomplete or fails its checksum ends the log (a torn
 * tail from a crash mid-write): the file is cut there and everything before it is kept.
 *
 * <p>{@link #append} hands the frame to the operating system before it returns, so an appended record survives
 * the process being killed; {@link #force()} makes it survive power loss too.
 *
 * <p>A {@linkplain #scratch scratch} log (an in-memory backend's spill files) has the same format but never forces
 * anything to the device: its files die with the process.
 *
 * <p>Not thread-safe: the owning shard appends under its lock. {@link #force()} may run on another thread.
 */
public final class SegmentLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentLog.class);
    private static final String SUFFIX = ".seg";
    private static final int HEADER_BYTES = 8;
    private static final int FIXED_BODY_BYTES = 8 + 8 + 4;
    /** Frames larger than this are treated as corruption when reading (a record is at most 10 MiB of data). */
    private static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private final Path dir;
    private final long segmentBytes;
    private final TreeMap<Long, Path> segments = new TreeMap<>(); // first position -> file
    private FileChannel current;
    private long currentBytes;
    private long nextPosition;
    private ByteBuffer frame = ByteBuffer.allocate(64 * 1024);
    private final CRC32C crc = new CRC32C();
    private final boolean sync; // false: scratch files, never forced to the device

    private SegmentLog(Path dir, long segmentBytes, boolean sync) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.sync = sync;
    }

    /**
     * A new, empty log in {@code dir} (created; it must hold no segments) whose records need not outlive the
     * process: nothing is read back, and rolling, {@link #force()} and {@link #close()} never fsync.
     *
     * @param dir          the directory of the log's segment files
     * @param segmentBytes size at which a new segment is started
     * @return the log, ready to append at position 0
     * @throws UncheckedIOException when the directory or first segment cannot be made
     */
    public static SegmentLog scratch(Path dir, long segmentBytes) {
        try {
            Files.createDirectories(dir);
            SegmentLog log = new SegmentLog(dir, segmentBytes, false);
            log.openCurrent();
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create segment log " + dir, e);
        }
    }

    /**
     * One intact frame found on disk.
     *
     * @param dataOffset where its data starts in its segment file
     * @param data       the data, or null when it was left on disk (older than the newest {@code hotBytes})
     */
    public record Frame(long counter, long arrivalMillis, String partitionKey, int dataLength, long dataOffset,
            byte[] data) {
        /** {@return the record, meaningful only when its data was read} */
        public StoredRecord record() {
            return new StoredRecord(counter, arrivalMillis, partitionKey, data);
        }
    }

    /**
     * What {@link #open} found on disk.
     *
     * @param log           the log, ready to append at {@code nextPosition}
     * @param firstPosition position of {@code frames.get(0)} (or {@code nextPosition} when empty)
     * @param frames        every intact frame, oldest first
     * @param cutBytes      bytes of torn tail removed
     */
    public record Recovered(SegmentLog log, long firstPosition, List<Frame> frames, long cutBytes) {
        /** {@return the records, for logs recovered with all their data in memory} */
        public List<StoredRecord> records() {
            List<StoredRecord> out = new ArrayList<>(frames.size());
            for (Frame f : frames) {
                out.add(f.record());
            }
            return out;
        }
    }

    /**
     * Opens the segment directory and reads back every record with its data.
     *
     * @param dir          the directory of the log's segment files, created when missing
     * @param segmentBytes size at which a new segment is started
     * @return the log and what it holds
     * @throws UncheckedIOException when the directory cannot be read
     */
    public static Recovered open(Path dir, long segmentBytes) {
        return open(dir, segmentBytes, Long.MAX_VALUE);
    }

    /**
     * Opens (creating when needed) the segment directory {@code dir} and reads back its frames; only the newest
     * {@code hotBytes} of data are kept in memory.
     *
     * @param dir          the directory of the log's segment files
     * @param segmentBytes size at which a new segment is started
     * @param hotBytes     data to read back into memory, newest first; older frames keep only their offsets
     * @return the log and what it holds, its torn tail (from a crash mid-write) cut off
     * @throws UncheckedIOException when the directory cannot be read
     */
    public static Recovered open(Path dir, long segmentBytes, long hotBytes) {
        try {
            Files.createDirectories(dir);
            SegmentLog log = new SegmentLog(dir, segmentBytes, true);
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.getFileName().toString().endsWith(SUFFIX)).forEach(p -> {
                    String name = p.getFileName().toString();
                    try {
                        log.segments.put(Long.parseLong(name.substring(0, name.length() - SUFFIX.length())), p);
                    } catch (NumberFormatException e) {
                        LOG.warn("ignoring unexpected file {} in {}", name, dir);
                    }
                });
            }
            List<Frame> records = new ArrayList<>();
            long cut = 0;
            long first = log.segments.isEmpty() ? 0 : log.segments.firstKey();
            long position = first;
            Long[] starts = log.segments.keySet().toArray(new Long[0]);
            for (int i = 0; i < starts.length; i++) {
                if (starts[i] != position) {
                    // A gap or overlap means a later segment cannot be trusted: keep what is contiguous.
                    LOG.warn("segment {} in {} does not follow position {}; it and later segments are dropped",
                            starts[i], dir, position);
                    for (int j = i; j < starts.length; j++) {
                        cut += Files.size(log.segments.get(starts[j]));
                        Files.delete(log.segments.remove(starts[j]));
                    }
                    break;
                }
                Path file = log.segments.get(starts[i]);
                long before = records.size();
                long intact = readSegment(file, records);
                long size = Files.size(file);
                if (intact < size) {
                    LOG.warn("cutting {} bytes of torn tail from {}", size - intact, file);
                    cut += size - intact;
                    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        ch.truncate(intact);
                        ch.force(true);
                    }
                }
                position += records.size() - before;
                if (intact < size && i < starts.length - 1) {
                    // Records after a torn frame would leave a hole; a crash only tears the newest segment.
                    for (int j = i + 1; j < starts.length; j++) {
                        cut += Files.size(log.segments.get(starts[j]));
                        Files.delete(log.segments.remove(starts[j]));
                    }
                    break;
                }
            }
            // Keep data for the newest hotBytes only.
            long hot = 0;
            for (int i = records.size() - 1; i >= 0; i--) {
                Frame f = records.get(i);
                if (f.data() == null) {
                    continue;
                }
                if (hot + f.dataLength() > hotBytes && i < records.size() - 1) {
                    records.set(i, new Frame(f.counter(), f.arrivalMillis(), f.partitionKey(), f.dataLength(),
                            f.dataOffset(), null));
                } else {
                    hot += f.dataLength();
                }
            }
            log.nextPosition = position;
            log.openCurrent();
            return new Recovered(log, first, records, cut);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open segment log " + dir, e);
        }
    }

    /** Reads intact frames of {@code file} into {@code out}; returns the byte length of the intact prefix. */
    private static long readSegment(Path file, List<Frame> out) throws IOException {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(all);
        CRC32C crc = new CRC32C();
        while (buf.remaining() >= HEADER_BYTES) {
            int start = buf.position();
            int length = buf.getInt();
            int expectedCrc = buf.getInt();
            if (length < FIXED_BODY_BYTES || length > MAX_FRAME_BYTES || length > buf.remaining()) {
                return start;
            }
            crc.reset();
            crc.update(all, buf.position(), length);
            if ((int) crc.getValue() != expectedCrc) {
                return start;
            }
            long counter = buf.getLong();
            long arrival = buf.getLong();
            int pkLength = buf.getInt();
            if (pkLength < -1 || pkLength > length - FIXED_BODY_BYTES) {
                return start;
            }
            String pk = null;
            if (pkLength >= 0) {
                pk = new String(all, buf.position(), pkLength, StandardCharsets.UTF_8);
                buf.position(buf.position() + pkLength);
            }
            byte[] data = new byte[length - FIXED_BODY_BYTES - Math.max(pkLength, 0)];
            long dataOffset = buf.position();
            buf.get(data);
            out.add(new Frame(counter, arrival, pk, data.length, dataOffset, data));
        }
        return buf.position();
    }

    private void openCurrent() throws IOException {
        Path file;
        if (segments.isEmpty()) {
            file = dir.resolve(name(nextPosition));
            segments.put(nextPosition, file);
        } else {
            file = segments.lastEntry().getValue();
        }
        current = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        currentBytes = current.size();
    }

    private static String name(long position) {
        String digits = Long.toString(position);
        return "0".repeat(20 - digits.length()) + digits + SUFFIX;
    }

    /** {@return the position the next appended record gets} */
    public long nextPosition() {
        return nextPosition;
    }

    /**
     * Writes {@code record} at {@link #nextPosition()}; it reaches the OS before this returns.
     *
     * @param record the record to write
     * @return where the record's data starts in its segment file (for {@link #readData})
     * @throws UncheckedIOException when the write or a roll to a new segment fails
     */
    public long append(StoredRecord record) {
        byte[] pk = record.partitionKey() == null ? null : record.partitionKey().getBytes(StandardCharsets.UTF_8);
        int bodyLength = FIXED_BODY_BYTES + (pk == null ? 0 : pk.length) + record.data().length;
        int frameLength = HEADER_BYTES + bodyLength;
        if (frame.capacity() < frameLength) {
            frame = ByteBuffer.allocate(Math.max(frameLength, frame.capacity() * 2));
        }
        frame.clear();
        frame.putInt(bodyLength).putInt(0).putLong(record.counter()).putLong(record.arrivalMillis())
                .putInt(pk == null ? -1 : pk.length);
        if (pk != null) {
            frame.put(pk);
        }
        frame.put(record.data());
        crc.reset();
        crc.update(frame.array(), HEADER_BYTES, bodyLength);
        frame.putInt(4, (int) crc.getValue());
        frame.flip();
        long dataOffset;
        try {
            if (currentBytes > 0 && currentBytes + frameLength > segmentBytes) {
                roll();
            }
            dataOffset = currentBytes + HEADER_BYTES + bodyLength - record.data().length;
            while (frame.hasRemaining()) {
                current.write(frame);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to segment log " + dir, e);
        }
        currentBytes += frameLength;
        nextPosition++;
        return dataOffset;
    }

    /**
     * Reads the data of the record at {@code position} back from its segment file.
     *
     * @param position   the record's position
     * @param dataOffset what {@link #append} returned (or {@link Frame#dataOffset()})
     * @param length     the data's length
     * @return the data, a new array
     * @throws IllegalStateException when no segment holds the position (it was deleted)
     * @throws UncheckedIOException  when the file cannot be read or ends early
     */
    public byte[] readData(long position, long dataOffset, int length) {
        var entry = segments.floorEntry(position);
        if (entry == null) {
            throw new IllegalStateException("no segment holds position " + position + " in " + dir);
        }
        byte[] out = new byte[length];
        ByteBuffer buf = ByteBuffer.wrap(out);
        try (FileChannel ch = FileChannel.open(entry.getValue(), StandardOpenOption.READ)) {
            long at = dataOffset;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, at);
                if (n < 0) {
                    throw new IOException("segment " + entry.getValue() + " ends before offset " + at);
                }
                at += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read position " + position + " from " + dir, e);
        }
        return out;
    }

    private void roll() throws IOException {
        if (sync) {
            current.force(false);
        }
        current.close();
        Path file = dir.resolve(name(nextPosition));
        segments.put(nextPosition, file);
        current = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        currentBytes = 0;
    }

    /** Forces appended records to the storage device. */
    public void force() {
        if (!sync) {
            return;
        }
        try {
            current.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fsync segment log " + dir, e);
        }
    }

    /**
     * Deletes segments all of whose records lie before {@code position} (after retention trimmed them).
     *
     * @param position the oldest position still needed; the newest segment is always kept
     * @return how many segment files were deleted
     * @throws UncheckedIOException when a file cannot be deleted
     */
    public int deleteBefore(long position) {
        int deleted = 0;
        while (segments.size() > 1) {
            var first = segments.firstEntry();
            long nextStart = segments.higherKey(first.getKey());
            if (nextStart > position) {
                break;
            }
            try {
                Files.deleteIfExists(first.getValue());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete segment " + first.getValue(), e);
            }
            segments.pollFirstEntry();
            deleted++;
        }
        return deleted;
    }

    /** {@return the number of segment files currently held} */
    public int segmentCount() {
        return segments.size();
    }

    @Override
    public void close() {
        try {
            if (sync) {
                current.force(false);
            }
            current.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close segment log " + dir, e);
        }
    }
}
