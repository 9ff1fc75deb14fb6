package io.runnel.agent;

import io.runnel.producer.KinesisProducer;
import io.runnel.producer.UserRecordResult;
import io.runnel.producer.errors.BufferFullException;
import io.runnel.producer.errors.InvalidUserRecordException;
import io.runnel.producer.errors.ProducerClosedException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Every Kinesis flow's records, into their streams through one producer (which batches, aggregates and retries them
 * up to its RecordTtl). A record the producer finally fails is reported {@link Sink.Outcomes#failed failed}, for the
 * agent to put again; one it can never take (invalid) is {@link Sink.Outcomes#rejected rejected}. Closing it closes
 * the producer.
 */
final class KinesisSink implements Sink {
    private final KinesisProducer producer;
    private final Outcomes outcomes;

    private volatile boolean stopping;

    KinesisSink(KinesisProducer producer, Outcomes outcomes) {
        this.producer = producer;
        this.outcomes = outcomes;
    }

    @Override
    public void put(Outgoing record) {
        while (true) {
            try {
                producer.addUserRecord(record.line().file().flow().stream(), record.partitionKey(), record.data(),
                        (r, e) -> done(record, r, e));
                return;
            } catch (BufferFullException full) {
                if (stopping) {
                    // An interrupt got us here if the producer itself was waiting; it has done its job, and left set
                    // it would close the next file channel the agent's thread touches on its way out.
                    Thread.interrupted();
                    outcomes.abandoned(record);
                    return;
                }
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(10)); // the buffer drains on its own
            } catch (InvalidUserRecordException bad) {
                outcomes.rejected(record, bad.getMessage());
                return;
            } catch (ProducerClosedException closed) {
                outcomes.abandoned(record);
                return;
            }
        }
    }

    private void done(Outgoing record, UserRecordResult r, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause == null) {
            outcomes.delivered(record);
        } else if (cause instanceof InvalidUserRecordException bad) {
            outcomes.rejected(record, bad.getMessage());
        } else if (cause instanceof ProducerClosedException) {
            outcomes.abandoned(record);
        } else {
            outcomes.failed(record);
        }
    }

    /** The agent is stopping: a put waiting for buffer space gives its record up ({@code abandoned}) at once. */
    void stopWaiting() {
        stopping = true;
    }

    @Override
    public void close(Duration timeout) {
        producer.close(timeout);
    }
}
