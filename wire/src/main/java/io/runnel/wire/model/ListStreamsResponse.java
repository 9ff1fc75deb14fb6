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
    /**
     * Copies the lists and maps; a null field is absent on the wire.
     *
     * @param streamNames     {@code StreamNames} (required, copied)
     * @param hasMoreStreams  {@code HasMoreStreams} (required)
     * @param nextToken       {@code NextToken}
     * @param streamSummaries {@code StreamSummaries} (copied)
     */
    public ListStreamsResponse {
        streamNames = streamNames == null ? null : List.copyOf(streamNames);
        streamSummaries = streamSummaries == null ? null : List.copyOf(streamSummaries);
    }
}
