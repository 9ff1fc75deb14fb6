package io.runnel.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkpoint file: for each file of each flow, its identity (device and inode, plus a fingerprint of its first
 * bytes) and the offset up to which every line has been acknowledged by Kinesis. Written whole to a temporary file,
 * forced to disk, then renamed over the old one, so a crash at any moment leaves the old or the new file, never a torn
 * one. Not thread-safe: the agent's thread owns it.
 */
final class Checkpoints {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectWriter PRETTY = JSON.writerWithDefaultPrettyPrinter();

    /**
     * One file's checkpoint.
     *
     * @param flow        the flow's {@link AgentConfig.Flow#id()}
     * @param fileKey     device and inode (or the platform's file key)
     * @param fingerprint hex SHA-256 of the file's first {@code fingerprintLength} bytes
     * @param path        where the file was last seen (informational)
     * @param offset      every byte before it has been sent and acknowledged (or deliberately skipped)
     * @param truncated   the entry is for a generation of the file that was truncated in place (copytruncate) while
     *                    some of its records were in flight: it names no file of its own, and the copy of that
     *                    generation (known by the fingerprint, whatever its identity) resumes at {@code offset}
     */
    record Entry(String flow, String fileKey, String fingerprint, int fingerprintLength, String path, long offset,
            boolean truncated) {
        /** A file's entry. */
        Entry(String flow, String fileKey, String fingerprint, int fingerprintLength, String path, long offset) {
            this(flow, fileKey, fingerprint, fingerprintLength, path, offset, false);
        }
    }

    private final Path file;

    Checkpoints(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /**
     * Whether {@code name} in directory {@code dir} is this checkpoint file or the temporary file it is written
     * through. A flow whose pattern matches them must not tail them: every write would be read back and sent, and move
     * the checkpoint again.
     */
    boolean isOwn(Path dir, Path name) {
        String n = name.toString();
        String own = file.getFileName().toString();
        if (!n.equals(own) && !n.equals(own + ".tmp")) {
            return false;
        }
        Path ownDir = file.toAbsolutePath().normalize().getParent();
        Path d = dir.toAbsolutePath().normalize();
        if (d.equals(ownDir)) {
            return true;
        }
        try {
            return Files.isSameFile(d, ownDir); // the same directory by another way (a symbolic link)
        } catch (IOException e) {
            return false; // either is gone: not the same directory now
        }
    }

    /** The entries on disk; none when there is no file yet. */
    List<Entry> load() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            List<Entry> out = new ArrayList<>();
            for (JsonNode n : root.path("files")) {
                out.add(new Entry(n.path("flow").asText(), n.path("fileKey").asText(), n.path("fingerprint").asText(),
                        n.path("fingerprintLength").asInt(), n.path("path").asText(), n.path("offset").asLong(),
                        n.path("truncated").asBoolean(false)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint file " + file
                    + " (move it away to start over)", e);
        }
    }

    /** Replaces the file with {@code entries}, atomically and durably. */
    void save(List<Entry> entries) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", 1);
        ArrayNode files = root.putArray("files");
        for (Entry e : entries) {
            ObjectNode n = files.addObject();
            n.put("flow", e.flow());
            n.put("fileKey", e.fileKey());
            n.put("fingerprint", e.fingerprint());
            n.put("fingerprintLength", e.fingerprintLength());
            n.put("path", e.path());
            n.put("offset", e.offset());
            if (e.truncated()) {
                n.put("truncated", true); // absent in files written before truncated generations were kept
            }
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            byte[] bytes = PRETTY.writeValueAsBytes(root);
            try {
                write(tmp, bytes);
            } catch (NoSuchFileException noDirectory) { // made here, not looked for before every write
                Files.createDirectories(dir);
                write(tmp, bytes);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true); // the rename itself, on file systems that allow syncing a directory
            } catch (IOException | UnsupportedOperationException notSupported) {
                // best effort
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint file " + file, e);
        }
    }

    private static void write(Path tmp, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }
}
