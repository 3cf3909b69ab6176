package io.loomzk.client.internal;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one-off background jobs of a client (a recipe's cleanup, a lease's check after a reconnect),
 * each on a named virtual thread this registry owns: {@link #close} interrupts the jobs still
 * running and waits for them, within a deadline, so no job of a closed client runs on unnoticed.
 *
 * <p>Thread-safe. {@code lock} guards {@code running} and {@code closed}; it is never held while a
 * job runs or while {@code close} waits.
 */
public final class Jobs {
    private static final System.Logger LOG = System.getLogger(Jobs.class.getName());

    private final ReentrantLock lock = new ReentrantLock();
    private final Set<Thread> running = new HashSet<>();
    private boolean closed;

    /**
     * Starts {@code job} on a virtual thread named {@code zk-job-<name>}, unless this registry is
     * closed. A job that throws is logged (WARNING) and ends; it should end by itself when the
     * session ends, and must end when interrupted.
     *
     * @return true if the job was started, false if the client is closed (the job does not run)
     */
    public boolean start(String name, Runnable job) {
        Thread t = Thread.ofVirtual().name("zk-job-" + name).unstarted(() -> runAndForget(name, job));
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            running.add(t);
        } finally {
            lock.unlock();
        }
        t.start();
        return true;
    }

    private void runAndForget(String name, Runnable job) {
        try {
            job.run();
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, () -> "background job " + name + " failed", e);
        } finally {
            lock.lock();
            try {
                running.remove(Thread.currentThread());
            } finally {
                lock.unlock();
            }
        }
    }

    /** How many jobs are running now. */
    public int running() {
        lock.lock();
        try {
            return running.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses new jobs, interrupts those running and waits for them until {@code deadlineNanos}
     * ({@link System#nanoTime()} terms). A job that ignores its interrupt is left to end by
     * itself. Idempotent.
     */
    void close(long deadlineNanos) {
        List<Thread> left;
        lock.lock();
        try {
            closed = true;
            left = new ArrayList<>(running);
        } finally {
            lock.unlock();
        }
        for (Thread t : left) {
            t.interrupt();
        }
        for (Thread t : left) {
            Threads.joinUntil(t, deadlineNanos);
        }
    }
}
