package io.runnel.producer.internal;

import java.util.List;

/**
 * Where the pipeline hands finished user records, in batches, so that their futures complete off the pipeline and
 * I/O threads. Each record carries its {@link PendingUserRecord#result()} or {@link PendingUserRecord#failure()}.
 */
public interface Completer {
    /** Completes the future of every record in {@code done} (the list is the callee's from now on). */
    void complete(List<PendingUserRecord> done);
}
