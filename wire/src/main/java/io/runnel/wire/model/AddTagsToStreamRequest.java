package io.runnel.wire.model;

import java.util.Map;

/**
 * The request of Kinesis AddTagsToStream.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record AddTagsToStreamRequest(
        String streamName,
        String streamARN,
        @Required Map<String, String> tags) {
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param streamName {@code StreamName}
     * @param streamARN  {@code StreamARN}
     * @param tags       {@code Tags} (required, copied)
     */
    public AddTagsToStreamRequest {
        tags = tags == null ? null : Map.copyOf(tags);
    }
}
