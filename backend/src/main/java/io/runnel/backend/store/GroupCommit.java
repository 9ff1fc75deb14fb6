package io.runnel.backend.store;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes appended records durable in groups: a request that wrote to some shards waits until one fsync pass that
 * started after its writes has forced those shards' segment files. Concurrent requests share passes, so the number
 * of fsyncs grows with time, not with requests.
 *
 * <p>Thread-safe. One daemon thread does the forcing; {@link #close()} stops it.
 */
public final class GroupCommit implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private final Object lock = new Object();
    private final Thread syncer;
    // guarded by lock
    private final Set<ShardLog> dirty = new LinkedHashSet<>();
    private long startedPasses;
    private long finishedPasses;
    private RuntimeException lastFailure;
    private long failedPass = -1;
    private boolean closed;

    /** Starts the fsync thread, a daemon named {@code runnel-backend-fsync}; {@link #close()} stops it. */
    public GroupCommit() {
        syncer = new Thread(this::run, "runnel-backend-fsync");
        syncer.setDaemon(true);
        syncer.start();
    }

    /**
     * Blocks until the records already appended to {@code logs} are on the storage device. The fsync thread forces
     * them, with those of every other caller waiting meanwhile; an interrupt is kept for after the wait.
     *
     * @param logs the shard logs the caller appended to; empty returns at once
     * @throws IllegalStateException when the fsync failed or the group commit is closed
     */
    public void awaitDurable(Collection<ShardLog> logs) {
        if (logs.isEmpty()) {
            return;
        }
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the backend is shutting down");
            }
            dirty.addAll(logs);
            long target = startedPasses + 1; // a pass that starts after our writes
            lock.notifyAll();
            boolean interrupted = false;
            while (finishedPasses < target && !closed) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failedPass >= target) {
                throw new IllegalStateException("fsync failed: " + lastFailure.getMessage(), lastFailure);
            }
            if (finishedPasses < target) {
                throw new IllegalStateException("the backend is shutting down");
            }
        }
    }

    private void run() {
        while (true) {
            Set<ShardLog> batch;
            long pass;
            synchronized (lock) {
                while (dirty.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    lock.notifyAll();
                    return;
                }
                batch = new LinkedHashSet<>(dirty);
                dirty.clear();
                pass = ++startedPasses;
            }
            RuntimeException failure = null;
            for (ShardLog log : batch) {
                try {
                    log.force();
                } catch (RuntimeException e) {
                    LOG.error("fsync of shard {} failed", log.shardIndex(), e);
                    failure = e;
                }
            }
            synchronized (lock) {
                if (failure != null) {
                    lastFailure = failure;
                    failedPass = pass;
                }
                finishedPasses = pass;
                lock.notifyAll();
            }
        }
    }

    /** Stops the syncer; waiting requests fail. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        try {
            syncer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
