package io.runnel.producer.internal;

/** A ring buffer slot: a user record to route, a flush request, or a wake-up. Cleared after use. */
public final class RecordEvent {
    enum Type { RECORD, FLUSH, WAKE, TASK }

    Type type;
    PendingUserRecord record;
    String stream; // FLUSH: the stream, or null for all
    Runnable task; // TASK: run on the pipeline thread after every record published before it

    void clear() {
        type = null;
        record = null;
        stream = null;
        task = null;
    }
}
