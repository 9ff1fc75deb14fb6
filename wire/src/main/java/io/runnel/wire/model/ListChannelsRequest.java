package io.runnel.wire.model;

import java.util.List;

/**
 * The request of Kinesis ListChannels.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record ListChannelsRequest(
        List<StreamFilter> streamFilter,
        Integer maxResults,
        String nextToken) {
}
