package io.runnel.producer.internal;

import java.util.ArrayList;

/**
 * Where the pipeline hands finished user records, in batches, so that their futures complete off the pipeline and
 * I/O threads.
 */
public interface Completer {
    /**
     * Completes the future of every record in {@code done} and of every user record in {@code stored} that its
     * {@link Deliveries#claimInto claim} wins. The records of {@code done} are claimed already, each with its
     * outcome ({@link PendingUserRecord#claim}); the pipeline counted them as it did, so that the callee can settle its
     * counters and buffer space first and then touch each record once.
     *
     * @param done        claimed records (the list is the callee's from now on; it may add to it)
     * @param succeeded   how many of them were claimed with a result (their futures complete normally)
     * @param failed      how many were claimed with a failure
     * @param budgetBytes the sum of their {@link PendingUserRecord#budgetBytes()}
     * @param stored      Kinesis records Kinesis stored, whose user records are still to be claimed (the callee's)
     */
    void complete(ArrayList<PendingUserRecord> done, long succeeded, long failed, long budgetBytes, Deliveries stored);
}
