package io.runnel.wire.model;

import java.util.List;

/**
 * The response of Kinesis ListStreams.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record ListStreamsResponse(
        @Required List<String> streamNames,
        @Required Boolean hasMoreStreams,
        String nextToken,
        List<StreamSummary> streamSummaries) {
    public ListStreamsResponse {
        streamNames = streamNames == null ? null : List.copyOf(streamNames);
        streamSummaries = streamSummaries == null ? null : List.copyOf(streamSummaries);
    }
}
