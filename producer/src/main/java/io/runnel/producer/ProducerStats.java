package io.runnel.producer;

/**
 * Counters since the producer started (a snapshot).
 *
 * @param userRecordsPut     user records whose futures completed successfully
 * @param userRecordsFailed  user records whose futures failed
 * @param kinesisRecordsPut  Kinesis records (aggregates or single records) Kinesis accepted
 * @param putRecordsRequests PutRecords requests that got an answer (or an error)
 * @param retries            user record attempts that failed and were retried
 * @param aggregatesResent   aggregates Kinesis stored on a shard (after a reshard) whose range does not hold all
 *                           their user records, so KCL consumers would drop them whole: all their user records were
 *                           sent again, and the copies in the stream are duplicates no KCL consumer sees
 */
public record ProducerStats(long userRecordsPut, long userRecordsFailed, long kinesisRecordsPut,
        long putRecordsRequests, long retries, long aggregatesResent) {

    /** {@return the average user records per Kinesis record (aggregation factor), 0 when none were put} */
    public double userRecordsPerKinesisRecord() {
        return kinesisRecordsPut == 0 ? 0 : (double) userRecordsPut / kinesisRecordsPut;
    }

    /** {@return the average Kinesis records per PutRecords request, 0 when none were sent} */
    public double kinesisRecordsPerRequest() {
        return putRecordsRequests == 0 ? 0 : (double) kinesisRecordsPut / putRecordsRequests;
    }
}
