package io.runnel.backend.firehose;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes delivered buffers as files laid out like an S3 destination's objects with the default prefix:
 * {@code <root>/<stream>/YYYY/MM/DD/HH/<stream>-<version>-YYYY-MM-DD-HH-MM-SS-<uuid>} (UTC, the arrival time of the
 * buffer's oldest record), records concatenated with nothing between them. A file appears whole: it is written under
 * a {@code .writing} name and renamed. Without a configured root, a temporary directory is made on first use and
 * logged. Not thread-safe: the {@link FirehoseStore} guards it.
 */
final class ObjectFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectFiles.class);
    private static final DateTimeFormatter PREFIX = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss")
            .withZone(ZoneOffset.UTC);

    private final Path configured; // null: a temporary directory
    private Path root; // null until first needed

    ObjectFiles(Path configured) {
        this.configured = configured;
    }

    /** The directory delivery streams write under, made (and, when temporary, logged) on first call. */
    Path root() throws IOException {
        if (root == null) {
            if (configured != null) {
                root = Files.createDirectories(configured);
                LOG.info("Firehose delivery streams deliver to {}", root);
            } else {
                root = Files.createTempDirectory("runnel-firehose-");
                LOG.info("Firehose delivery streams deliver to the temporary directory {} (set a data directory or"
                        + " a Firehose directory to choose)", root);
            }
        }
        return root;
    }

    /** Writes one object of {@code records}; returns its path. */
    Path write(String stream, int version, long oldestArrivalMillis, List<byte[]> records) throws IOException {
        Instant at = Instant.ofEpochMilli(oldestArrivalMillis);
        Path dir = Files.createDirectories(root().resolve(stream).resolve(PREFIX.format(at)));
        Path file = dir.resolve(stream + "-" + version + "-" + STAMP.format(at) + "-" + UUID.randomUUID());
        Path tmp = dir.resolve(file.getFileName() + ".writing");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            for (byte[] r : records) {
                out.write(r);
            }
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file);
        }
        return file;
    }
}
