package io.runnel.producer.internal;

/** A ring buffer slot: a user record to route, a flush request, or a wake-up. Cleared after use. */
public final class RecordEvent {
    enum Type { RECORD, FLUSH, WAKE }

    Type type;
    PendingUserRecord record;
    String stream; // FLUSH: the stream, or null for all

    void clear() {
        type = null;
        record = null;
        stream = null;
    }
}
