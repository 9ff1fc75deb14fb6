package io.runnel.aggregation;

import io.runnel.aggregation.InvalidRecordException.Field;
import io.runnel.aggregation.internal.Utf8;

/**
 * The Kinesis rules a user record's keys must follow, checked without allocation on the success path.
 * Thread-safe (stateless).
 */
public final class RecordValidation {
    private RecordValidation() {
    }

    /**
     * Checks a partition key: 1 to 256 UTF-16 chars (the unit Kinesis and the KPL count) and well-formed Unicode
     * (no unpaired surrogate, which has no UTF-8 form and would reach the stream corrupted).
     *
     * @param partitionKey the key to check
     * @return the key's UTF-8 length in bytes
     * @throws InvalidRecordException naming the key when it is null, empty or breaks a rule
     */
    public static int checkPartitionKey(String partitionKey) {
        if (partitionKey == null) {
            throw new InvalidRecordException(Field.PARTITION_KEY, "must not be null");
        }
        int length = partitionKey.length();
        if (length == 0) {
            throw new InvalidRecordException(Field.PARTITION_KEY, "must not be empty");
        }
        if (length > AggregationFormat.MAX_PARTITION_KEY_LENGTH) {
            throw new InvalidRecordException(Field.PARTITION_KEY, "is " + length + " chars long, the maximum is "
                    + AggregationFormat.MAX_PARTITION_KEY_LENGTH + ": " + InvalidRecordException.quote(partitionKey));
        }
        int utf8Length = Utf8.encodedLength(partitionKey);
        if (utf8Length < 0) {
            throw new InvalidRecordException(Field.PARTITION_KEY, "has an unpaired surrogate at index "
                    + (-utf8Length - 1) + ": " + InvalidRecordException.quote(partitionKey));
        }
        return utf8Length;
    }

    /**
     * Checks an explicit hash key: the decimal form of an integer in 0..2^128-1, without sign, spaces or leading
     * zeros (the Kinesis pattern {@code 0|([1-9]\d{0,38})}).
     *
     * @param explicitHashKey the key to check (a caller whose record has none does not call this)
     * @throws InvalidRecordException naming the key when it is null, empty or breaks a rule
     */
    public static void checkExplicitHashKey(String explicitHashKey) {
        if (explicitHashKey == null) {
            throw new InvalidRecordException(Field.EXPLICIT_HASH_KEY, "must not be null when given");
        }
        int length = explicitHashKey.length();
        if (length == 0) {
            throw new InvalidRecordException(Field.EXPLICIT_HASH_KEY, "must not be empty");
        }
        for (int i = 0; i < length; i++) {
            char c = explicitHashKey.charAt(i);
            if (c < '0' || c > '9') {
                throw new InvalidRecordException(Field.EXPLICIT_HASH_KEY, "must be a decimal integer, found '" + c
                        + "' at index " + i + ": " + InvalidRecordException.quote(explicitHashKey));
            }
        }
        if (length > 1 && explicitHashKey.charAt(0) == '0') {
            throw new InvalidRecordException(Field.EXPLICIT_HASH_KEY,
                    "must not have leading zeros: " + InvalidRecordException.quote(explicitHashKey));
        }
        String max = AggregationFormat.MAX_HASH_KEY_DECIMAL;
        if (length > max.length() || (length == max.length() && explicitHashKey.compareTo(max) > 0)) {
            throw new InvalidRecordException(Field.EXPLICIT_HASH_KEY,
                    "is larger than 2^128-1: " + InvalidRecordException.quote(explicitHashKey));
        }
    }
}
