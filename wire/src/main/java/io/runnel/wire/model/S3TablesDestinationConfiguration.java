package io.runnel.wire.model;

import java.util.List;

/**
 * A channel's S3 Tables destination, as CreateChannel takes it and DescribeChannel returns it.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record S3TablesDestinationConfiguration(
        Integer dataFreshnessInSeconds,
        DeadLetterQueueS3Configuration deadLetterQueueS3Configuration,
        List<S3TablesConfiguration> s3TablesConfigurationList) {
}
