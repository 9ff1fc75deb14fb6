package io.runnel.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnel.wire.auth.InstanceMetadata;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ADDEC2METADATA}: the EC2 instance's identity merged into each JSON-object record, as the Kinesis Agent's
 * {@code AddEC2MetadataConverter} does: the record's own keys first (a key it shares with the metadata takes the
 * metadata's value in place), then {@code privateIp}, {@code availabilityZone}, {@code instanceId},
 * {@code instanceType}, {@code accountId}, {@code amiId}, {@code region} and {@code metadataTimestamp} (when the
 * metadata was read, {@code yyyy-MM-dd'T'HH:mm:ssZ} in the local time zone).
 *
 * <p>The metadata comes from the instance identity document (IMDSv2, short timeouts), read with the first record and
 * again once it is older than {@code metadataTTL} (default one hour). Off EC2 (nothing answers, or
 * {@code AWS_EC2_METADATA_DISABLED=true}) one WARN says so and records go unchanged; a failed refresh keeps the
 * metadata read before. A record that is not a JSON object goes raw (as read, no option applied) and is counted, as
 * the Kinesis Agent sends it. Unlike the Kinesis Agent, no {@code tags} (its EC2 DescribeTags call, which needs
 * {@code ec2:DescribeTags}; without that permission it adds none either).
 *
 * <p>Thread-safe: the metadata is read and replaced under a lock, on the thread of the record that finds it stale
 * (the agent's thread), which waits at most the metadata service's timeouts.
 */
final class AddEc2Metadata extends Processing {
    private static final Logger LOG = LoggerFactory.getLogger(AddEc2Metadata.class);
    /** How often the Kinesis Agent reads the metadata again ({@code metadataTTL}, seconds, default 3600). */
    static final Duration DEFAULT_TTL = Duration.ofHours(1);
    /** The Kinesis Agent's {@code new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ssZ")}: local zone, offset as +HHMM. */
    private static final DateTimeFormatter METADATA_TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssZ",
            Locale.ROOT);

    /**
     * Where the metadata and the time come from.
     *
     * @param clock            wall-clock time (and zone, for {@code metadataTimestamp})
     * @param identityDocument the instance identity document as text; throws (any runtime exception, its message
     *                         saying why) when there is none
     */
    record Source(Clock clock, Supplier<String> identityDocument) {
        Source {
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(identityDocument, "identityDocument");
        }

        /** The system clock and zone, and the metadata service the environment names. */
        static Source system() {
            return of(Clock.systemDefaultZone(), new InstanceMetadata(System.getenv()));
        }

        static Source of(Clock clock, InstanceMetadata imds) {
            return new Source(clock, () -> imds.get(InstanceMetadata.IDENTITY_DOCUMENT_PATH));
        }
    }

    private final Duration ttl;
    private final boolean pretty;
    private final Source source;
    private final Object lock = new Object();
    private ObjectNode metadata; // guarded by lock; null: none (yet)
    private long readAtMillis; // guarded by lock; when the last read was tried
    private boolean tried; // guarded by lock
    private boolean warned; // guarded by lock

    AddEc2Metadata(Duration ttl, boolean pretty, Source source) {
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.pretty = pretty;
        this.source = Objects.requireNonNull(source, "source");
    }

    @Override
    public String apply(String record) {
        ObjectNode md = metadata();
        if (md == null) {
            return record; // warned once when the read failed
        }
        JsonNode parsed;
        try {
            parsed = JSON.readTree(record);
        } catch (JsonProcessingException notJson) {
            parsed = null;
        }
        if (!(parsed instanceof ObjectNode object)) {
            // the Kinesis Agent: DataConversionException, and the record goes raw (see Processing#chain)
            throw new ConversionFailed("ADDEC2METADATA: the record is not a JSON object");
        }
        object.setAll(md.deepCopy());
        return write(object, pretty);
    }

    /** The metadata, read again first when it is older than the TTL; null when none could be read. */
    ObjectNode metadata() {
        synchronized (lock) {
            long now = source.clock().millis();
            // as the Kinesis Agent: again once readAt + ttl is past, counted from when the last read began
            if (!tried || readAtMillis + ttl.toMillis() < now) {
                tried = true;
                readAtMillis = now;
                read(now);
            }
            return metadata;
        }
    }

    private void read(long now) {
        ObjectNode doc;
        try {
            JsonNode parsed = JSON.readTree(source.identityDocument().get());
            if (!(parsed instanceof ObjectNode o)) {
                throw new IllegalStateException("the instance identity document is not a JSON object");
            }
            doc = o;
        } catch (JsonProcessingException | RuntimeException e) {
            String why = e instanceof JsonProcessingException ? "the instance identity document is not JSON"
                    : e.getMessage();
            if (!warned && metadata == null) {
                warned = true;
                LOG.warn("ADDEC2METADATA: no EC2 instance metadata (not on EC2? {}); records go unchanged; trying"
                        + " again every {} s", why, ttl.toSeconds());
            } else if (!warned) {
                warned = true;
                LOG.warn("ADDEC2METADATA: cannot read the EC2 instance metadata again ({}); keeping what was read"
                        + " before; trying again every {} s", why, ttl.toSeconds());
            } else {
                LOG.debug("ADDEC2METADATA: still no EC2 instance metadata: {}", why);
            }
            return;
        }
        ObjectNode md = JSON.createObjectNode();
        md.set("privateIp", doc.get("privateIp"));
        md.set("availabilityZone", doc.get("availabilityZone"));
        md.set("instanceId", doc.get("instanceId"));
        md.set("instanceType", doc.get("instanceType"));
        md.set("accountId", doc.get("accountId"));
        md.set("amiId", doc.get("imageId"));
        md.set("region", doc.get("region"));
        md.put("metadataTimestamp", METADATA_TIMESTAMP.format(java.time.Instant.ofEpochMilli(now)
                .atZone(source.clock().getZone())));
        if (metadata == null || warned) {
            LOG.info("ADDEC2METADATA: instance {} in {}; read again every {} s", md.path("instanceId").asText(),
                    md.path("availabilityZone").asText(), ttl.toSeconds());
        }
        warned = false;
        metadata = md;
    }
}
