package io.runnel.aggregation;

/**
 * A user record cannot be sent as given: its partition key, explicit hash key or data breaks a Kinesis rule.
 * The message names the field and the offending value (long values are shortened).
 */
public final class InvalidRecordException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The field of the user record that is invalid. */
    public enum Field {
        PARTITION_KEY("PartitionKey"),
        EXPLICIT_HASH_KEY("ExplicitHashKey"),
        DATA("Data");

        private final String apiName;

        Field(String apiName) {
            this.apiName = apiName;
        }

        /** The field's name in the Kinesis API. */
        public String apiName() {
            return apiName;
        }
    }

    private final Field field;

    public InvalidRecordException(Field field, String message) {
        super(field.apiName() + ": " + message);
        this.field = field;
    }

    /** Which field is invalid. */
    public Field field() {
        return field;
    }

    /** Quotes {@code value} for a message, shortened to at most 64 chars. */
    static String quote(String value) {
        if (value.length() <= 64) {
            return '"' + value + '"';
        }
        return '"' + value.substring(0, 61) + "...\" (" + value.length() + " chars)";
    }
}
