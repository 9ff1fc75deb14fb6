package io.runnel.wire.model;

import java.util.List;

/**
 * The request of Kinesis UntagResource.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record UntagResourceRequest(
        @Required List<String> tagKeys,
        @Required String resourceARN) {
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param tagKeys     {@code TagKeys} (required, copied)
     * @param resourceARN {@code ResourceARN} (required)
     */
    public UntagResourceRequest {
        tagKeys = tagKeys == null ? null : List.copyOf(tagKeys);
    }
}
