package io.runnel.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One file a flow tails, followed by its open channel (so a renamed or deleted file is still read to its end) and
 * known by its identity (device and inode) and a fingerprint of its first bytes, not by its name.
 *
 * <p>It turns complete lines (or multi-line records) into {@link Line}s with their byte ranges, holds back a partial
 * last line until its newline arrives, skips header lines, and cuts records longer than the limit (with the
 * terminator; the rest of such a line is skipped and counted). A record matching the flow's {@code fileFooterPattern}
 * (whole, trimmed, as the Kinesis Agent matches it) ends the file: it is not sent, and neither is anything else the
 * file holds at that moment (the Kinesis Agent stops parsing there and drops what it had read past the footer); lines
 * appended later are read. {@link #checkpoint()} is the offset before which every
 * byte has been acknowledged: it only moves past a contiguous prefix of acknowledged records.
 *
 * <p>Reading is confined to the agent's thread; acknowledgements arrive from the producer's callback thread, so the
 * pending set is guarded by this object's monitor.
 */
final class TrackedFile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrackedFile.class);
    static final int FINGERPRINT_BYTES = 1024;

    /**
     * A generation of the file that was truncated in place (copytruncate): its first bytes had {@code fingerprint},
     * every byte before {@code readTo} had become records, and {@link #checkpoint()} is where its unacknowledged
     * records begin. Acknowledgements of its records still in flight arrive here (through the truncated file); the
     * copy that logrotate made, once found, {@link TrackedFile#inherit inherits} it, so that the copy's checkpoint
     * stays before those records until they are acknowledged, and a crash meanwhile reads them again from the copy.
     * Thread-safe: the in-flight set is guarded by this object's monitor.
     */
    static final class Truncation {
        private final String fingerprint;
        private final int fingerprintLength;
        private final long readTo;
        private final TreeSet<Long> inFlight; // guarded by this
        private boolean inherited; // guarded by this

        Truncation(String fingerprint, int fingerprintLength, long readTo, TreeSet<Long> inFlight) {
            this.fingerprint = fingerprint;
            this.fingerprintLength = fingerprintLength;
            this.readTo = readTo;
            this.inFlight = inFlight;
        }

        String fingerprint() {
            return fingerprint;
        }

        int fingerprintLength() {
            return fingerprintLength;
        }

        /** Where a copy of the old generation goes on reading: every byte before it became records. */
        long readTo() {
            return readTo;
        }

        /** Every byte of the old generation before this offset is acknowledged (or skipped). */
        synchronized long checkpoint() {
            return inFlight.isEmpty() ? readTo : Math.min(readTo, inFlight.first());
        }

        synchronized boolean hasInFlight() {
            return !inFlight.isEmpty();
        }

        synchronized void acknowledged(long start) {
            inFlight.remove(start);
        }

        /** Whether a copy took it over: then the copy's checkpoint covers it. */
        synchronized boolean inherited() {
            return inherited;
        }

        synchronized void markInherited() {
            inherited = true;
        }
    }

    /**
     * A record read from the file: bytes {@code [start, end)} of generation {@code generation}. Its {@link #bytes()}
     * are the record as read (UTF-8, without its line end — but a Firehose record without processing options, or a
     * packed one, with each line's end as read); its
     * {@link #text()} is decoded from them when first asked for, so that records sent as they are never become
     * strings.
     */
    static final class Line {
        private final TrackedFile file;
        private final int generation;
        private final long start;
        private final long end;
        private final byte[] bytes;
        private final boolean truncated;
        private String text; // decoded lazily; a race decodes twice, harmlessly

        Line(TrackedFile file, int generation, long start, long end, byte[] bytes, boolean truncated) {
            this.file = file;
            this.generation = generation;
            this.start = start;
            this.end = end;
            this.bytes = bytes;
            this.truncated = truncated;
        }

        Line(TrackedFile file, int generation, long start, long end, String text, boolean truncated) {
            this(file, generation, start, end, text.getBytes(StandardCharsets.UTF_8), truncated);
            this.text = text;
        }

        TrackedFile file() {
            return file;
        }

        int generation() {
            return generation;
        }

        long start() {
            return start;
        }

        long end() {
            return end;
        }

        /** The record's bytes; not to be changed. */
        byte[] bytes() {
            return bytes;
        }

        String text() {
            String t = text;
            if (t == null) {
                t = new String(bytes, StandardCharsets.UTF_8);
                text = t;
            }
            return t;
        }

        boolean truncated() {
            return truncated;
        }

        @Override
        public String toString() {
            return "Line[" + file.path() + ", generation " + generation + ", " + start + "-" + end + "]";
        }
    }

    /**
     * The starts of the records of one generation sent and not yet acknowledged: records are sent in the order of
     * their starts, so this is a ring of ascending offsets in which an acknowledged one is marked (stored as
     * {@code -start - 1}) and dropped once it reaches the head — the head is the first unacknowledged record. An
     * acknowledgement finds its record by binary search. No boxing, no allocation but growth: this runs for every
     * line. Not thread-safe (guarded by the file's monitor).
     */
    static final class InFlight {
        private long[] ring = new long[64];
        private int head;
        private int size; // entries in the ring, acknowledged ones not yet at the head included
        private int live; // unacknowledged entries

        private long at(int i) {
            return ring[(head + i) & (ring.length - 1)];
        }

        private static long startOf(long v) {
            return v < 0 ? -v - 1 : v;
        }

        void add(long start) {
            if (size == ring.length) {
                long[] grown = new long[ring.length * 2];
                for (int i = 0; i < size; i++) {
                    grown[i] = at(i);
                }
                ring = grown;
                head = 0;
            }
            int i = size;
            // Records come in the order of their starts; should one not, it is put in its place.
            while (i > 0 && startOf(at(i - 1)) > start) {
                ring[(head + i) & (ring.length - 1)] = at(i - 1);
                i--;
            }
            ring[(head + i) & (ring.length - 1)] = start;
            size++;
            live++;
        }

        /** Marks the record starting at {@code start} acknowledged; false when it is not here. */
        boolean remove(long start) {
            int lo = 0;
            int hi = size - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                long v = at(mid);
                long s = startOf(v);
                if (s < start) {
                    lo = mid + 1;
                } else if (s > start) {
                    hi = mid - 1;
                } else {
                    if (v < 0) {
                        return false; // acknowledged before
                    }
                    ring[(head + mid) & (ring.length - 1)] = -start - 1;
                    live--;
                    while (size > 0 && at(0) < 0) {
                        head = (head + 1) & (ring.length - 1);
                        size--;
                    }
                    return true;
                }
            }
            return false;
        }

        boolean isEmpty() {
            return live == 0;
        }

        /** The first unacknowledged start; only when not {@link #isEmpty()}. */
        long first() {
            return at(0);
        }

        TreeSet<Long> toTreeSet() {
            TreeSet<Long> out = new TreeSet<>();
            for (int i = 0; i < size; i++) {
                if (at(i) >= 0) {
                    out.add(at(i));
                }
            }
            return out;
        }

        void clear() {
            head = 0;
            size = 0;
            live = 0;
        }
    }

    private final AgentConfig.Flow flow;
    private final String fileKey;
    private Path path;
    private FileChannel channel;
    private final int readSize; // bytes one poll reads at most
    /**
     * The read buffer, one a thread rather than one a file: a poll leaves nothing in it (the next one reads again
     * from the first byte not yet made into records), and an agent following many files would otherwise hold a MiB
     * of heap for each.
     */
    private static final ThreadLocal<ByteBuffer> READ_BUFFER = new ThreadLocal<>();
    private long processed; // every byte before it was turned into records or skipped
    private int generation; // bumped when the file is truncated in place (copytruncate)
    private long headerLinesLeft; // header lines still to skip (only when reading from the file's beginning)
    private boolean discarding; // inside the rest of an over-long line
    private StringBuilder multi; // the multi-line record being gathered
    private long multiStart;
    private byte[] packed; // lines gathered into one Firehose record (aggregatedRecordSizeBytes), as read; only in poll
    private int packedLength = -1; // -1: none being gathered
    private long packedStart;
    private long packedEnd;
    private boolean packedCut;
    private long lastGrowthNanos = System.nanoTime();
    private long lastSize = -1;
    // records sent, not acknowledged (this generation); guarded by this
    private final InFlight pending = new InFlight();
    private String fingerprint; // of the first fingerprintLength bytes, as last computed
    private int fingerprintLength;
    private Truncation truncation;
    private long footerAt = -1; // start of a footer record met in this read: the rest of the file is skipped; -1: none
    long footers;
    /** Generations truncated away with records still in flight, by generation. Guarded by this. */
    private final java.util.Map<Integer, Truncation> truncated = new java.util.HashMap<>();
    private Truncation inherited; // the old generation this file is a copy of, while its records are in flight
    long truncatedLines;
    long overLongLines;

    TrackedFile(AgentConfig.Flow flow, Path path, String fileKey, long offset) throws IOException {
        this.flow = flow;
        this.path = path;
        this.fileKey = fileKey;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        this.readSize = Math.min(flow.maxRecordBytes() + 1, 1 << 20) + 64 * 1024;
        this.processed = offset;
        this.headerLinesLeft = offset == 0 ? flow.skipHeaderLines() : 0;
    }

    /** Device and inode (or the platform's file key) of {@code path}. */
    static String fileKeyOf(Path path) throws IOException {
        try {
            Map<String, Object> ids = Files.readAttributes(path, "unix:dev,ino"); // one stat, not one per attribute
            return ids.get("dev") + ":" + ids.get("ino");
        } catch (UnsupportedOperationException | IllegalArgumentException notUnix) {
            Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            return key != null ? key.toString() : path.toAbsolutePath().toString();
        }
    }

    /** Hex SHA-256 of the first {@code length} bytes of the file at {@code path}, or null when it is shorter. */
    static String fingerprint(FileChannel ch, int length) throws IOException {
        if (length <= 0 || ch.size() < length) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate(length);
        long pos = 0;
        while (b.hasRemaining()) {
            int n = ch.read(b, pos);
            if (n < 0) {
                return null;
            }
            pos += n;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many bytes the fingerprint covers for a file of {@code size} bytes. */
    static int fingerprintLength(long size) {
        return (int) Math.min(size, FINGERPRINT_BYTES);
    }

    String fileKey() {
        return fileKey;
    }

    Path path() {
        return path;
    }

    void movedTo(Path newPath) {
        this.path = newPath;
    }

    AgentConfig.Flow flow() {
        return flow;
    }

    FileChannel channel() {
        return channel;
    }

    long size() throws IOException {
        return channel.size();
    }

    /**
     * Reads what is new, handing each record to {@code out}; at most one buffer's worth per call.
     *
     * @param idleFlushNanos a gathered multi-line record with no new line for this long is handed out
     * @return whether anything was read
     */
    boolean poll(java.util.function.Consumer<Line> out, long idleFlushNanos) throws IOException {
        long size = channel.size();
        long now = System.nanoTime();
        if (size != lastSize) {
            lastSize = size;
            lastGrowthNanos = now;
        }
        if (size < processed) {
            truncated();
        }
        if (size == processed) {
            if (multi != null && now - lastGrowthNanos >= idleFlushNanos) {
                emitMulti(out, processed);
                if (footerAt >= 0) {
                    skipAfterFooter(size);
                }
            }
            return false;
        }
        ByteBuffer buffer = READ_BUFFER.get();
        if (buffer == null || buffer.capacity() < readSize) {
            buffer = ByteBuffer.allocate(readSize);
            READ_BUFFER.set(buffer);
        }
        buffer.clear().limit(readSize);
        int n = channel.read(buffer, processed);
        if (n <= 0) {
            return false;
        }
        byte[] bytes = buffer.array();
        int lineStart = 0;
        for (int i = 0; i < n; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            long start = processed + lineStart;
            long end = processed + i + 1;
            int lineEnd = i > lineStart && bytes[i - 1] == '\r' ? i - 1 : i;
            if (discarding) {
                discarding = false; // the end of an over-long line: skipped
            } else if (lineEnd - lineStart > flow.maxRecordBytes()) {
                line(out, start, end, cut(bytes, lineStart), true);
            } else {
                line(out, start, end, bytes, lineStart, lineEnd, i + 1);
            }
            lineStart = i + 1;
        }
        if (n - lineStart >= flow.maxRecordBytes()) {
            // No newline within the record limit: send the head of the line, cut, and skip the rest of it.
            if (!discarding) {
                line(out, processed + lineStart, processed + n, cut(bytes, lineStart), true);
            }
            discarding = true;
            lineStart = n;
        }
        sendPacked(out);
        processed += lineStart;
        if (footerAt >= 0) {
            skipAfterFooter(size);
            return true;
        }
        return lineStart > 0;
    }

    /** After a footer: everything up to {@code size} (what the file held when it was read) is skipped. */
    private void skipAfterFooter(long size) {
        LOG.info("{}: footer (fileFooterPattern) at byte {}: skipped with the rest of the file, to byte {}", path,
                footerAt, Math.max(processed, size));
        footerAt = -1;
        footers++;
        processed = Math.max(processed, size);
        multi = null;
        discarding = false;
    }

    private String cut(byte[] bytes, int from) {
        overLongLines++;
        int keep = Math.max(0, flow.maxRecordBytes() - flow.truncatedRecordTerminator().length());
        return new String(bytes, from, keep, StandardCharsets.UTF_8) + flow.truncatedRecordTerminator();
    }

    /** A line that is not read as it is: cut (with its terminator), or a last line without its newline. */
    private void line(java.util.function.Consumer<Line> out, long start, long end, String text, boolean cut) {
        if (headerLinesLeft > 0) {
            headerLinesLeft--;
            return; // a header line: skipped, and the checkpoint moves past it with the rest
        }
        if (flow.multiLineStartPattern() != null) {
            multiLine(out, start, text);
        } else if (flow.aggregatedRecordSizeBytes() > 0) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            boolean ended = text.endsWith("\n");
            pack(out, start, end, b, 0, b.length, ended ? b.length : b.length + 1, cut);
        } else if (!text.isEmpty()) {
            send(out, start, end, new Line(this, generation, start, end, text, cut));
        }
    }

    /**
     * A line as read: its text is {@code bytes[from, to)}, its line end ({@code \n} or {@code \r\n}) runs to
     * {@code endedTo}.
     */
    private void line(java.util.function.Consumer<Line> out, long start, long end, byte[] bytes, int from, int to,
            int endedTo) {
        if (headerLinesLeft > 0) {
            headerLinesLeft--;
            return; // a header line: skipped, and the checkpoint moves past it with the rest
        }
        if (flow.multiLineStartPattern() != null) {
            multiLine(out, start, new String(bytes, from, to - from, StandardCharsets.UTF_8));
        } else if (flow.aggregatedRecordSizeBytes() > 0) {
            pack(out, start, end, bytes, from, to, endedTo, false);
        } else if (to > from) {
            // A Firehose record without processing options is the line as read, its line end included (`\r\n` stays
            // `\r\n`), as the Kinesis Agent sends it; otherwise the line without its end.
            int keep = flow.toFirehose() && flow.processing().isEmpty() ? endedTo : to;
            send(out, start, end, new Line(this, generation, start, end, Arrays.copyOfRange(bytes, from, keep),
                    false));
        }
    }

    private void multiLine(java.util.function.Consumer<Line> out, long start, String text) {
        if (flow.multiLineStartPattern().matcher(text).find() || multi == null) {
            if (multi != null) {
                emitMulti(out, start);
            }
            multi = new StringBuilder(text);
            multiStart = start;
        } else {
            multi.append('\n').append(text);
        }
    }

    /**
     * {@code aggregatedRecordSizeBytes}: the line joins the record being packed when the record (each line with its
     * line end) stays within the size, else that record goes and this line starts the next; a line longer than the
     * size goes alone. As the Kinesis Agent's {@code AggregationSplitter}, a record holds its lines' bytes as read,
     * each with its line end ({@code \r\n} stays), and only lines read in one go: it goes at the end of each read,
     * never waiting for more lines. Empty lines are skipped, as single lines are.
     *
     * @param bytes the line is {@code [from, to)}, with its line end {@code [from, endedTo)}
     */
    private void pack(java.util.function.Consumer<Line> out, long start, long end, byte[] bytes, int from, int to,
            int endedTo, boolean cut) {
        int size = endedTo - from;
        if (packedLength >= 0 && (long) packedLength + size > flow.aggregatedRecordSizeBytes()) {
            sendPacked(out);
        }
        if (to == from) {
            if (packedLength >= 0) {
                packedEnd = end; // inside the record's byte range
            }
            return;
        }
        if (packedLength < 0) {
            packedLength = 0;
            packedStart = start;
            packedCut = cut;
        } else {
            packedCut |= cut;
        }
        int need = packedLength + size;
        if (packed == null || packed.length < need) {
            packed = Arrays.copyOf(packed == null ? new byte[0] : packed,
                    Math.max(need, Math.min(flow.aggregatedRecordSizeBytes(), 2 * need)));
        }
        int copied = Math.min(size, bytes.length - from);
        System.arraycopy(bytes, from, packed, packedLength, copied);
        if (copied < size) {
            packed[packedLength + copied] = '\n'; // a cut or last line: its newline
        }
        packedLength += size;
        packedEnd = end;
    }

    private void sendPacked(java.util.function.Consumer<Line> out) {
        if (packedLength >= 0) {
            byte[] record = Arrays.copyOf(packed, packedLength);
            packedLength = -1;
            send(out, packedStart, packedEnd, new Line(this, generation, packedStart, packedEnd, record, packedCut));
        }
    }

    private void emitMulti(java.util.function.Consumer<Line> out, long end) {
        String text = multi.toString();
        long start = multiStart;
        multi = null;
        if (!text.isEmpty()) {
            boolean cut = false;
            if (text.length() > flow.maxRecordBytes()) {
                text = text.substring(0, flow.maxRecordBytes() - flow.truncatedRecordTerminator().length())
                        + flow.truncatedRecordTerminator();
                cut = true;
                truncatedLines++;
            }
            send(out, start, end, new Line(this, generation, start, end, text, cut));
        }
    }

    private void send(java.util.function.Consumer<Line> out, long start, long end, Line line) {
        if (footerAt >= 0) {
            return; // after the footer
        }
        if (flow.fileFooterPattern() != null && flow.fileFooterPattern().matcher(line.text().trim()).matches()) {
            footerAt = start;
            return;
        }
        synchronized (this) {
            pending.add(start);
        }
        out.accept(line);
    }

    /** The producer stored (or, for good, refused) the record starting at {@code start}. */
    synchronized void acknowledged(int gen, long start) {
        if (gen == generation) {
            pending.remove(start);
            return;
        }
        Truncation old = truncated.get(gen);
        if (old != null) {
            old.acknowledged(start);
            if (!old.hasInFlight()) {
                truncated.remove(gen);
            }
        }
    }

    /**
     * This file is the copy of {@code old} (the generation of another file truncated in place): its checkpoint stays
     * before the old generation's records in flight until they are acknowledged.
     */
    synchronized void inherit(Truncation old) {
        old.markInherited();
        if (old.hasInFlight()) {
            inherited = old;
        }
    }

    /** Old generations truncated with records in flight that no copy took over: they need checkpoint entries. */
    synchronized java.util.List<Truncation> orphanedGenerations() {
        java.util.List<Truncation> out = new java.util.ArrayList<>();
        for (Truncation t : truncated.values()) {
            if (!t.inherited() && t.hasInFlight()) {
                out.add(t);
            }
        }
        return out;
    }

    /** Every byte before this offset is acknowledged (or skipped). */
    synchronized long checkpoint() {
        long cp = processed;
        if (multi != null) {
            cp = Math.min(cp, multiStart);
        }
        if (!pending.isEmpty()) {
            cp = Math.min(cp, pending.first());
        }
        if (inherited != null) {
            if (inherited.hasInFlight()) {
                cp = Math.min(cp, inherited.checkpoint());
            } else {
                inherited = null;
            }
        }
        return cp;
    }

    /** Records in flight (of any generation, or inherited) or gathered: the file is not done with. */
    synchronized boolean hasPending() {
        return !pending.isEmpty() || multi != null || (inherited != null && inherited.hasInFlight())
                || !orphanedGenerations().isEmpty();
    }

    int generation() {
        return generation;
    }

    /**
     * The file was rotated away and is quiet: a last line without its newline will not get one, so it goes as it is
     * (with a gathered multi-line record).
     */
    void finishPartial(java.util.function.Consumer<Line> out) throws IOException {
        long size = channel.size();
        if (size > processed && !discarding) {
            int len = (int) Math.min(size - processed, flow.maxRecordBytes());
            ByteBuffer b = ByteBuffer.allocate(len);
            while (b.hasRemaining() && channel.read(b, processed + b.position()) > 0) {
                // read the tail
            }
            line(out, processed, size, new String(b.array(), 0, b.position(), StandardCharsets.UTF_8), false);
            sendPacked(out);
        }
        processed = Math.max(processed, size);
        if (multi != null) {
            emitMulti(out, processed);
        }
        if (footerAt >= 0) {
            skipAfterFooter(size);
        }
    }

    /** Read to its current end, nothing gathered. */
    boolean readToEnd() throws IOException {
        return processed >= channel.size() && multi == null;
    }

    /** Nanoseconds since the file last grew. */
    long idleNanos() {
        return System.nanoTime() - lastGrowthNanos;
    }

    /** Recomputes the fingerprint over up to {@link #FINGERPRINT_BYTES} first bytes; null for an empty file. */
    String refreshFingerprint() throws IOException {
        int length = fingerprintLength(channel.size());
        String fp = fingerprint(channel, length);
        if (fp != null) {
            fingerprint = fp;
            fingerprintLength = length;
        }
        return fp;
    }

    int fingerprintLength() {
        return fingerprintLength;
    }

    /** Detects a truncation in place now (before {@link #poll} would); returns it, once. */
    Truncation checkTruncated() throws IOException {
        if (channel.size() < processed) {
            truncated();
        }
        return takeTruncation();
    }

    String currentFingerprint() {
        return fingerprint;
    }

    /** Where reading goes on: every byte before it has become records (sent) or was skipped. */
    long readOffset() {
        return processed;
    }

    /** The truncation seen by the last {@link #poll}, once. */
    Truncation takeTruncation() {
        Truncation t = truncation;
        truncation = null;
        return t;
    }

    /**
     * Truncated in place (copytruncate): start over from its beginning, in a new generation. The old generation's
     * records in flight stay tracked (in its {@link Truncation}); a multi-line record it was gathering is left to the
     * copy, which reads on from that record's start.
     */
    private synchronized void truncated() {
        long readTo = multi != null ? multiStart : processed;
        Truncation old = new Truncation(fingerprint, fingerprintLength, readTo, pending.toTreeSet());
        if (old.hasInFlight()) {
            truncated.put(generation, old);
        }
        if (fingerprint != null) {
            truncation = old;
        }
        fingerprint = null;
        generation++;
        pending.clear();
        processed = 0;
        headerLinesLeft = flow.skipHeaderLines();
        discarding = false;
        multi = null;
        footerAt = -1;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a read-only channel
        }
    }

    /** Whether the file still exists under its last known path with this identity. */
    boolean stillAt(Path p) {
        try {
            return fileKeyOf(p).equals(fileKey);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
