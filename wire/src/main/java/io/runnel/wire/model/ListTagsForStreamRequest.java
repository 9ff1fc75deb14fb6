package io.runnel.wire.model;

/**
 * The request of Kinesis ListTagsForStream.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record ListTagsForStreamRequest(
        String streamName,
        String streamARN,
        String exclusiveStartTagKey,
        Integer limit) {
}
