package io.runnel.producer.internal;

import java.util.List;

/**
 * Where the pipeline hands finished user records, in batches, so that their futures complete off the pipeline and
 * I/O threads. Each record carries its {@link PendingUserRecord#result()} or {@link PendingUserRecord#failure()}.
 */
public interface Completer {
    /** Completes the future of every record in {@code done} (the list is the callee's from now on). */
    void complete(List<PendingUserRecord> done);

    /**
     * {@link #complete(List)}, with the totals the pipeline counted as it claimed them — so that the callee can settle
     * its counters and buffer space first and then touch each record once, to complete it.
     *
     * @param done        the records (the callee's from now on)
     * @param succeeded   how many of them were claimed with a result (their futures complete normally)
     * @param failed      how many were claimed with a failure
     * @param budgetBytes the sum of their {@link PendingUserRecord#budgetBytes()}
     */
    default void complete(List<PendingUserRecord> done, long succeeded, long failed, long budgetBytes) {
        complete(done);
    }
}
