package io.runnel.wire.model;

/** The (empty) response of Kinesis UpdateMaxRecordSize. */
public record UpdateMaxRecordSizeResponse() {
}
