package io.runnel.producer;

import io.runnel.aggregation.InvalidRecordException;
import io.runnel.aggregation.RecordValidation;
import io.runnel.producer.errors.InvalidUserRecordException;

/** The checks every {@link Producer} makes on a record's data and keys before accepting it. */
final class UserRecordChecks {
    private UserRecordChecks() {
    }

    /**
     * Data present; partition key (when given: keyless records are for AUTO streams, which the pipeline checks) and
     * explicit hash key within Kinesis' rules.
     *
     * @throws InvalidUserRecordException naming the field
     */
    static void checkDataAndKeys(UserRecord record) {
        checkDataAndKeys(record.partitionKey(), record.explicitHashKey(), record.data());
    }

    /** {@link #checkDataAndKeys(UserRecord)} for a record's fields. */
    static void checkDataAndKeys(String partitionKey, String explicitHashKey, byte[] data) {
        if (data == null) {
            throw new InvalidUserRecordException("Data: must not be null");
        }
        try {
            if (partitionKey != null) {
                RecordValidation.checkPartitionKey(partitionKey);
            }
            if (explicitHashKey != null) {
                RecordValidation.checkExplicitHashKey(explicitHashKey);
            }
        } catch (InvalidRecordException e) {
            throw new InvalidUserRecordException(e.getMessage(), e);
        }
    }
}
