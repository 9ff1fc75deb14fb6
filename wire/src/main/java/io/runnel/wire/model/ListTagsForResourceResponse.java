package io.runnel.wire.model;

import java.util.List;

/**
 * The response of Kinesis ListTagsForResource.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record ListTagsForResourceResponse(
        List<Tag> tags) {
    public ListTagsForResourceResponse {
        tags = tags == null ? null : List.copyOf(tags);
    }
}
