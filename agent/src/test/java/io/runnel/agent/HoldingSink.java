package io.runnel.agent;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A sink that holds every record until the test delivers it (or delivers everything, when told to). */
final class HoldingSink implements Sink {
    private final Sink.Outcomes outcomes;
    private final boolean deliverAtOnce;
    private final List<Outgoing> held = new ArrayList<>(); // guarded by this
    private final List<String> delivered = new ArrayList<>(); // guarded by this
    private final List<String> received = new ArrayList<>(); // guarded by this

    HoldingSink(Sink.Outcomes outcomes, boolean deliverAtOnce) {
        this.outcomes = outcomes;
        this.deliverAtOnce = deliverAtOnce;
    }

    /** For the agent's test constructor: each sink it makes delivers at once (or holds) and is handed to {@code to}. */
    static java.util.function.Function<Sink.Outcomes, Sink> each(java.util.function.Consumer<HoldingSink> to,
            boolean deliverAtOnce) {
        return outcomes -> {
            HoldingSink s = new HoldingSink(outcomes, deliverAtOnce);
            to.accept(s);
            return s;
        };
    }

    @Override
    public void put(Outgoing record) {
        synchronized (this) {
            received.add(text(record));
            if (!deliverAtOnce) {
                held.add(record);
                return;
            }
            delivered.add(text(record));
        }
        outcomes.delivered(record);
    }

    /** Delivers the held records whose text matches. */
    void deliver(Predicate<String> which) {
        List<Outgoing> now = new ArrayList<>();
        synchronized (this) {
            for (var it = held.iterator(); it.hasNext();) {
                Outgoing r = it.next();
                if (which.test(text(r))) {
                    now.add(r);
                    delivered.add(text(r));
                    it.remove();
                }
            }
        }
        now.forEach(outcomes::delivered);
    }

    synchronized List<String> received() {
        return List.copyOf(received);
    }

    synchronized List<String> delivered() {
        return List.copyOf(delivered);
    }

    private static String text(Outgoing r) {
        return new String(r.data(), StandardCharsets.UTF_8);
    }

    @Override
    public void close(Duration timeout) {
        // held records stay undelivered, as in a crash
    }
}
