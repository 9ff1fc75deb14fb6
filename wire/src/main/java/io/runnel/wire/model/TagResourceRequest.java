package io.runnel.wire.model;

import java.util.Map;

/**
 * The request of Kinesis TagResource.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record TagResourceRequest(
        @Required Map<String, String> tags,
        @Required String resourceARN) {
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param tags        {@code Tags} (required, copied)
     * @param resourceARN {@code ResourceARN} (required)
     */
    public TagResourceRequest {
        tags = tags == null ? null : Map.copyOf(tags);
    }
}
