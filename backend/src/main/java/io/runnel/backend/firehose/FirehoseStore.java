package io.runnel.backend.firehose;

import io.runnel.backend.store.StoreException;
import io.runnel.backend.store.StoreSettings;
import io.runnel.backend.store.TimeSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Firehose delivery streams and what they buffered. A stream is CREATING for the settings' transition time, then
 * ACTIVE; records put to it are buffered and written as one file (see {@link ObjectFiles}) when the buffer would
 * outgrow its {@link BufferingHints#sizeBytes()}, when it reaches it, or {@link BufferingHints#intervalMillis()}
 * after its oldest record arrived ({@link #poll()} and every put look). {@link #close()} and DeleteDeliveryStream
 * deliver what is buffered. With a metadata file the streams (not their unflushed buffers) survive a restart.
 *
 * <p>Thread-safe: every method holds one lock, file writes included (a development backend; a buffer is at most
 * 128 MiB).
 */
public final class FirehoseStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FirehoseStore.class);
    /** The file in the data directory that keeps the delivery streams. */
    public static final String METADATA_FILE = DeliveryStreamsFile.NAME;
    static final String DIRECT_PUT = "DirectPut";
    static final String S3 = "S3DestinationConfiguration";
    static final String EXTENDED_S3 = "ExtendedS3DestinationConfiguration";

    /** One delivery stream; its buffer is guarded by the store's lock. */
    static final class DeliveryStream {
        final String name;
        final String type;
        final long createMillis;
        final long activeAtMillis;
        final int version;
        final String destinationKind; // S3 or EXTENDED_S3
        final Map<String, Object> destination; // the configuration as given
        final BufferingHints hints;
        final DeliveryBuffer buffer = new DeliveryBuffer();

        DeliveryStream(String name, String type, long createMillis, long activeAtMillis, int version,
                String destinationKind, Map<String, Object> destination, BufferingHints hints) {
            this.name = name;
            this.type = type;
            this.createMillis = createMillis;
            this.activeAtMillis = activeAtMillis;
            this.version = version;
            this.destinationKind = destinationKind;
            this.destination = destination;
            this.hints = hints;
        }

        String status(long nowMillis) {
            return nowMillis < activeAtMillis ? "CREATING" : "ACTIVE";
        }
    }

    /** A delivery stream as DescribeDeliveryStream shows it. */
    record Description(String name, String arn, String status, String type, long createMillis, int version,
            String destinationKind, Map<String, Object> destination, BufferingHints hints) {
    }

    /** A page of ListDeliveryStreams. */
    record Page(List<String> names, boolean more) {
    }

    private final StoreSettings settings;
    private final TimeSource time;
    private final ObjectFiles files;
    private final Path metadataFile; // null: streams live in memory only
    private final Object lock = new Object();
    private final Map<String, DeliveryStream> streams = new TreeMap<>(); // by name; guarded by lock

    /**
     * The delivery streams, loaded from {@code metadataFile} when it exists.
     *
     * @param settings     region and account for ARNs
     * @param time         the clock for buffering intervals and stream timestamps
     * @param deliveryRoot where objects are written, or null for a temporary directory made on first delivery
     * @param metadataFile where the delivery streams are kept across restarts, or null to keep them in memory
     * @throws IllegalStateException when the metadata file cannot be read
     */
    public FirehoseStore(StoreSettings settings, TimeSource time, Path deliveryRoot, Path metadataFile) {
        this.settings = settings;
        this.time = time;
        this.files = new ObjectFiles(deliveryRoot);
        this.metadataFile = metadataFile;
        if (metadataFile != null) {
            for (DeliveryStream s : DeliveryStreamsFile.load(metadataFile)) {
                streams.put(s.name, s);
            }
        }
    }

    /**
     * The ARN of a delivery stream, whether or not it exists.
     *
     * @param name the delivery stream's name
     * @return its ARN in this store's region and account
     */
    public String arnOf(String name) {
        return "arn:aws:firehose:" + settings.region() + ":" + settings.accountId() + ":deliverystream/" + name;
    }

    /**
     * Where objects are written: the configured directory, or the temporary one, made now if needed.
     *
     * @return the delivery directory
     * @throws UncheckedIOException when the directory cannot be made
     */
    public Path deliveryRoot() {
        synchronized (lock) {
            try {
                return files.root();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** {@return the names of the delivery streams, in name order} */
    public List<String> names() {
        synchronized (lock) {
            return List.copyOf(streams.keySet());
        }
    }

    /**
     * Creates a DirectPut stream delivering with default buffering, ACTIVE at once, unless one of that name exists
     * (the backend's {@code --create-delivery-stream}).
     *
     * @param name the delivery stream's name
     * @throws StoreException      when Firehose would refuse the name
     * @throws UncheckedIOException when the metadata file cannot be written
     */
    public void createAtStart(String name) {
        FirehoseApi.checkName(name, "deliveryStreamName");
        synchronized (lock) {
            if (streams.containsKey(name)) {
                return;
            }
            long now = time.millis();
            Map<String, Object> destination = new LinkedHashMap<>();
            destination.put("RoleARN", "arn:aws:iam::" + settings.accountId() + ":role/runnel-firehose");
            destination.put("BucketARN", "arn:aws:s3:::runnel-firehose");
            streams.put(name, new DeliveryStream(name, DIRECT_PUT, now, now, 1, EXTENDED_S3, destination,
                    BufferingHints.DEFAULTS));
            persist();
        }
    }

    /** CreateDeliveryStream, its request already checked; returns the ARN. */
    String create(String name, String destinationKind, Map<String, Object> destination, BufferingHints hints) {
        synchronized (lock) {
            if (streams.containsKey(name)) {
                throw new StoreException(StoreException.RESOURCE_IN_USE, "Firehose " + name + " under accountId "
                        + settings.accountId() + " already exists");
            }
            try {
                files.root(); // a temporary directory is made (and logged) with the first delivery stream
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make the Firehose delivery directory", e);
            }
            long now = time.millis();
            streams.put(name, new DeliveryStream(name, DIRECT_PUT, now, now + settings.transitionMillis(), 1,
                    destinationKind, destination, hints));
            persist();
            return arnOf(name);
        }
    }

    Description describe(String name) {
        synchronized (lock) {
            DeliveryStream s = find(name);
            return new Description(s.name, arnOf(s.name), s.status(time.millis()), s.type, s.createMillis, s.version,
                    s.destinationKind, s.destination, s.hints);
        }
    }

    /** Names in order after {@code afterName} (null: from the first), at most {@code limit}, of {@code type}. */
    Page list(String type, String afterName, int limit) {
        synchronized (lock) {
            List<String> names = new ArrayList<>();
            for (DeliveryStream s : streams.values()) {
                if ((afterName != null && s.name.compareTo(afterName) <= 0) || (type != null && !type.equals(s.type))) {
                    continue;
                }
                if (names.size() == limit) {
                    return new Page(names, true);
                }
                names.add(s.name);
            }
            return new Page(names, false);
        }
    }

    /** DeleteDeliveryStream: delivers what the stream buffered, then forgets it. */
    void delete(String name) {
        synchronized (lock) {
            DeliveryStream s = find(name);
            deliver(s);
            streams.remove(name);
            persist();
        }
    }

    /**
     * Buffers {@code records} in order, delivering whenever the buffer would outgrow its size, reaches it or is due.
     *
     * @throws StoreException when the stream does not exist or is not ACTIVE
     * @throws UncheckedIOException when a due buffer cannot be written (it stays buffered)
     */
    void put(String name, List<byte[]> records) {
        synchronized (lock) {
            DeliveryStream s = find(name);
            long now = time.millis();
            String status = s.status(now);
            if (!"ACTIVE".equals(status)) {
                throw new StoreException(StoreException.RESOURCE_IN_USE, "Firehose " + name + " under account "
                        + settings.accountId() + " is not ACTIVE, instead in state " + status + ".");
            }
            if (due(s, now)) {
                deliver(s);
            }
            for (byte[] r : records) {
                if (!s.buffer.isEmpty() && s.buffer.bytes() + r.length > s.hints.sizeBytes()) {
                    deliver(s);
                }
                s.buffer.add(r, now);
                if (s.buffer.bytes() >= s.hints.sizeBytes()) {
                    deliver(s);
                }
            }
            if (due(s, now)) {
                deliver(s);
            }
        }
    }

    /** Delivers every buffer whose interval has passed; a failure is logged and retried at the next poll. */
    public void poll() {
        synchronized (lock) {
            long now = time.millis();
            for (DeliveryStream s : streams.values()) {
                if (due(s, now)) {
                    try {
                        deliver(s);
                    } catch (UncheckedIOException e) {
                        LOG.warn("Firehose {}: delivery failed, retrying later: {}", s.name, e.getCause().toString());
                    }
                }
            }
        }
    }

    /** Delivers everything buffered. */
    @Override
    public void close() {
        synchronized (lock) {
            for (DeliveryStream s : streams.values()) {
                try {
                    deliver(s);
                } catch (UncheckedIOException e) {
                    LOG.error("Firehose {}: {} buffered bytes lost, delivery failed at close", s.name,
                            s.buffer.bytes(), e.getCause());
                }
            }
        }
    }

    private static boolean due(DeliveryStream s, long nowMillis) {
        return !s.buffer.isEmpty() && nowMillis - s.buffer.oldestArrivalMillis() >= s.hints.intervalMillis();
    }

    /** Writes the stream's buffer as one object (none when it holds no bytes); on failure the buffer is kept. */
    private void deliver(DeliveryStream s) {
        if (s.buffer.isEmpty()) {
            return;
        }
        if (s.buffer.bytes() == 0) { // only empty records: S3 would get an empty object; write none
            s.buffer.drain();
            return;
        }
        try {
            Path file = files.write(s.name, s.version, s.buffer.oldestArrivalMillis(), s.buffer.records());
            LOG.debug("Firehose {}: delivered {} bytes to {}", s.name, s.buffer.bytes(), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot deliver Firehose " + s.name, e);
        }
        s.buffer.drain();
    }

    private DeliveryStream find(String name) {
        DeliveryStream s = streams.get(name);
        if (s == null) {
            throw new StoreException(StoreException.RESOURCE_NOT_FOUND, "Firehose " + name + " under account "
                    + settings.accountId() + " not found.");
        }
        return s;
    }

    private void persist() {
        if (metadataFile != null) {
            DeliveryStreamsFile.save(metadataFile, List.copyOf(streams.values()));
        }
    }
}
