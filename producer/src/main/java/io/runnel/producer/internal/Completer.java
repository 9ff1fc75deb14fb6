package io.runnel.producer.internal;

import io.runnel.producer.UserRecordResult;

/** The one place a user record's future is completed (off the pipeline and I/O threads). */
public interface Completer {
    /** Completes with success. */
    void succeed(PendingUserRecord record, UserRecordResult result);

    /** Completes exceptionally. */
    void fail(PendingUserRecord record, Throwable failure);
}
