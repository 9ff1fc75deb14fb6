package io.runnel.wire.model;

import java.util.List;

/**
 * The response of Kinesis ListTagsForResource.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record ListTagsForResourceResponse(
        List<Tag> tags) {
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param tags {@code Tags} (copied)
     */
    public ListTagsForResourceResponse {
        tags = tags == null ? null : List.copyOf(tags);
    }
}
