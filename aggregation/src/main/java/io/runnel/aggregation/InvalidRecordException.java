package io.runnel.aggregation;

/**
 * A user record cannot be sent as given: its partition key, explicit hash key or data breaks a Kinesis rule.
 * The message names the field and the offending value (long values are shortened).
 */
public final class InvalidRecordException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The field of the user record that is invalid. */
    public enum Field {
        /** The partition key ({@code PartitionKey}). */
        PARTITION_KEY("PartitionKey"),
        /** The explicit hash key ({@code ExplicitHashKey}). */
        EXPLICIT_HASH_KEY("ExplicitHashKey"),
        /** The data ({@code Data}). */
        DATA("Data");

        private final String apiName;

        Field(String apiName) {
            this.apiName = apiName;
        }

        /** {@return the field's name in the Kinesis API, such as {@code PartitionKey}} */
        public String apiName() {
            return apiName;
        }
    }

    /** The invalid field. */
    private final Field field;

    /**
     * An exception whose message is the field's API name, a colon and {@code message}.
     *
     * @param field   the invalid field
     * @param message what is wrong with it
     */
    public InvalidRecordException(Field field, String message) {
        super(field.apiName() + ": " + message);
        this.field = field;
    }

    /** {@return which field is invalid} */
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
