package io.runnel.wire.model;

import java.util.List;

/**
 * The response of Kinesis ListTagsForStream.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record ListTagsForStreamResponse(
        @Required List<Tag> tags,
        @Required Boolean hasMoreTags) {
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param tags        {@code Tags} (required, copied)
     * @param hasMoreTags {@code HasMoreTags} (required)
     */
    public ListTagsForStreamResponse {
        tags = tags == null ? null : List.copyOf(tags);
    }
}
