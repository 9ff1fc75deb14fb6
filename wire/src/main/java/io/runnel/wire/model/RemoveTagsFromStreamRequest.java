package io.runnel.wire.model;

import java.util.List;

/**
 * The request of Kinesis RemoveTagsFromStream.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record RemoveTagsFromStreamRequest(
        String streamName,
        String streamARN,
        @Required List<String> tagKeys) {
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param streamName {@code StreamName}
     * @param streamARN  {@code StreamARN}
     * @param tagKeys    {@code TagKeys} (required, copied)
     */
    public RemoveTagsFromStreamRequest {
        tagKeys = tagKeys == null ? null : List.copyOf(tagKeys);
    }
}
