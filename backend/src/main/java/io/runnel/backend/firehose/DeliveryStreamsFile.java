package io.runnel.backend.firehose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the delivery streams (not their buffers) in one JSON file, {@code delivery-streams.json} in the data
 * directory, replaced atomically on every change.
 */
final class DeliveryStreamsFile {
    /** The file's name in the data directory. */
    static final String NAME = "delivery-streams.json";
    private static final int FORMAT = 1;

    private DeliveryStreamsFile() {
    }

    static void save(Path file, List<FirehoseStore.DeliveryStream> streams) {
        List<Object> list = new ArrayList<>();
        for (FirehoseStore.DeliveryStream s : streams) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name);
            m.put("type", s.type);
            m.put("createMillis", s.createMillis);
            m.put("activeAtMillis", s.activeAtMillis);
            m.put("version", s.version);
            m.put("destinationKind", s.destinationKind);
            m.put("destination", s.destination);
            m.put("bufferSizeBytes", s.hints.sizeBytes());
            m.put("bufferIntervalMillis", s.hints.intervalMillis());
            list.add(m);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("deliveryStreams", list);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(tmp, Json.write(root));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save delivery streams to " + file, e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<FirehoseStore.DeliveryStream> load(Path file) {
        List<FirehoseStore.DeliveryStream> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            Map<String, Object> root = (Map<String, Object>) Json.parse(Files.readAllBytes(file));
            for (Object o : (List<Object>) root.get("deliveryStreams")) {
                Map<String, Object> m = (Map<String, Object>) o;
                out.add(new FirehoseStore.DeliveryStream((String) m.get("name"), (String) m.get("type"),
                        ((Number) m.get("createMillis")).longValue(), ((Number) m.get("activeAtMillis")).longValue(),
                        ((Number) m.get("version")).intValue(), (String) m.get("destinationKind"),
                        (Map<String, Object>) m.get("destination"),
                        new BufferingHints(((Number) m.get("bufferSizeBytes")).longValue(),
                                ((Number) m.get("bufferIntervalMillis")).longValue())));
            }
        } catch (IOException | ClassCastException | NullPointerException e) {
            throw new IllegalStateException("cannot read delivery streams from " + file + ": " + e, e);
        }
        return out;
    }
}
