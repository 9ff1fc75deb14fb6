package io.runnel.wire.model;

/**
 * A stream's warm throughput in MiB/s: the target it scales towards and what it handles now.
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record WarmThroughputObject(
        Integer targetMiBps,
        Integer currentMiBps) {
}
