package io.runnel.wire.model;

/**
 * How a channel reads a stream's records: format {@code GSR_JSON}, {@code JSON}, {@code STRING} or {@code BYTE_ARRAY},
 * and the Glue schema of GSR_JSON (the component is named so that the wire member is {@code GSRSchemaARN}).
 *
 * <p>Field names are the Kinesis API's with a lower-case first letter; a null field is absent on the wire.
 */
public record RecordConfiguration(
        String recordFormatType,
        String gSRSchemaARN) {
}
