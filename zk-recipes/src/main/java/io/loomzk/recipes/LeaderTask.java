package io.loomzk.recipes;

import io.loomzk.client.SessionState;
import io.loomzk.client.ZkException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a task while this participant leads a {@link LeaderElection}, and stops it when leadership
 * is lost: the task's thread is interrupted, and the leadership node is removed at once, so the next
 * participant is chosen without waiting for the task to wind down.
 *
 * <pre>{@code
 * LeaderElection election = LeaderElection.of(zk, "/services/scheduler/leader", "host-a");
 * try (LeaderTask scheduler = LeaderTask.start(election, leadership -> {
 *     while (leadership.isValid()) {
 *         runDueJobs(leadership.fencingToken());
 *         Thread.sleep(1_000);                      // interrupted when leadership is lost
 *     }
 * })) {
 *     awaitShutdown();
 * }
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 * A runner thread ({@code zk-leader-<participant>}) stands for election; when it leads, it starts
 * the task on a worker thread ({@code zk-leader-task-<participant>}) and waits for the leadership to
 * end. Leadership ends when it is lost (see {@link Lease}), when the task returns or throws (it
 * then relinquishes), or on {@link #close()}. The runner then closes the leadership, which deletes
 * its node (the next participant takes over as soon as the deletion reaches it), interrupts the
 * worker if it still runs, and waits for it to finish before standing again: one process never runs
 * two terms of its task at once. Another process's term may start while this one's task is still
 * responding to its interrupt; protect downstream writes with the leadership's fencing token or
 * {@link Lease#guardedMulti}. After a session expiry the runner stands again once the client has a
 * new session ({@code ZkClient.startNewSession()}, called by the application).
 *
 * <p>A task should respond to interruption and check {@link Leadership#isValid()} between steps.
 * Threads: the runner owns the current leadership and the worker; {@link #close()} interrupts the
 * runner and joins it (bounded).
 */
public final class LeaderTask implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LeaderTask.class.getName());
    private static final Duration PAUSE = Duration.ofMillis(100);
    /** How long the runner waits at a time for an interrupted task to finish (it logs, then waits on). */
    private static final Duration TASK_STOP_WARNING = Duration.ofSeconds(10);

    /** The work done while leading. */
    @FunctionalInterface
    public interface Task {
        /**
         * Runs while {@code leadership} is held; return to relinquish. Interrupted when leadership
         * is lost or the {@link LeaderTask} is closed.
         */
        void run(Leadership leadership) throws Exception;
    }

    private final LeaderElection election;
    private final Task task;
    private final Thread runner;
    private final AtomicInteger terms = new AtomicInteger();
    /** The current leadership, null while not leading; written by the runner. */
    private volatile Leadership leadership;

    private volatile boolean closed;

    private LeaderTask(LeaderElection election, Task task) {
        this.election = Objects.requireNonNull(election, "election");
        this.task = Objects.requireNonNull(task, "task");
        this.runner =
                Thread.ofVirtual().name("zk-leader-" + election.participantId()).unstarted(this::run);
    }

    /**
     * Starts standing in {@code election} and running {@code task} whenever it leads, again and
     * again, until closed. Returns at once.
     */
    public static LeaderTask start(LeaderElection election, Task task) {
        LeaderTask t = new LeaderTask(election, task);
        t.runner.start();
        return t;
    }

    /** Whether this participant leads now (and its leadership is valid); never blocks. */
    public boolean isLeading() {
        Leadership l = leadership;
        return l != null && l.isValid();
    }

    /** How many terms the task has been started for so far. */
    public int terms() {
        return terms.get();
    }

    private void run() {
        while (!closed) {
            try {
                if (awaitUsableSession()) {
                    lead(election.awaitLeadership());
                }
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            } catch (ZkException e) {
                if (closed) {
                    return;
                }
                if (!Failures.isTransient(e) && !e.isTerminal()) {
                    LOG.log(Level.WARNING, () -> "standing in " + election.path() + " failed; standing again", e);
                }
                pause();
            }
        }
    }

    /** One term: run the task until the leadership ends, then stop the task and release. */
    private void lead(Leadership l) throws InterruptedException {
        leadership = l;
        terms.incrementAndGet();
        Thread worker = Thread.ofVirtual()
                .name("zk-leader-task-" + election.participantId())
                .start(() -> {
                    try {
                        task.run(l);
                    } catch (InterruptedException e) {
                        // stopped, as asked
                    } catch (Throwable t) {
                        LOG.log(Level.WARNING, () -> "the leader task of " + election.participantId() + " failed", t);
                    } finally {
                        l.close(); // a task that ends relinquishes
                    }
                });
        try {
            if (!closed) {
                l.awaitLoss();
            }
        } finally {
            l.close(); // the next participant is chosen now, whatever the task is doing
            leadership = null;
            worker.interrupt();
            boolean interrupted = false;
            while (true) {
                try {
                    if (worker.join(TASK_STOP_WARNING)) {
                        break;
                    }
                    LOG.log(
                            Level.WARNING,
                            () -> "the leader task of " + election.participantId() + " has not stopped "
                                    + TASK_STOP_WARNING + " after its interrupt; waiting on");
                } catch (InterruptedException e) {
                    interrupted = true; // close(): still wait, so that two terms never overlap here
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits while the session is over (until the application starts a new one); false once closed. */
    private boolean awaitUsableSession() throws InterruptedException {
        while (!closed) {
            SessionState state = election.client().state();
            if (state == SessionState.CLOSED) {
                return false;
            }
            if (!state.isTerminal()) {
                return true;
            }
            Thread.sleep(PAUSE);
        }
        return false;
    }

    private void pause() {
        try {
            Thread.sleep(PAUSE);
        } catch (InterruptedException e) {
            // close() interrupts: the loop checks closed
        }
    }

    /**
     * Stops: interrupts the task if it runs, relinquishes leadership (or stops standing), and waits
     * for the runner to end, at most the client's request timeout plus ten seconds for a task that
     * ignores its interrupt (the runner then ends in the background once it stops). Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Leadership l = leadership;
        if (l != null) {
            l.close();
        }
        runner.interrupt();
        boolean interrupted = false;
        try {
            if (!runner.join(election.client().requestTimeout().plus(TASK_STOP_WARNING))) {
                LOG.log(
                        Level.WARNING,
                        () -> "the leader task runner of " + election.participantId() + " has not ended");
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "LeaderTask[" + election + ", " + terms() + " terms]";
    }
}
