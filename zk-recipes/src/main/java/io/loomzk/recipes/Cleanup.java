package io.loomzk.recipes;

import io.loomzk.client.SessionState;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Removes nodes a recipe no longer wants, even when a delete's outcome is unknown: a delete is
 * repeated until the node is gone or the session that owns it is over (its ephemeral nodes then
 * vanish with it). The calling thread tries for a bounded time; past that, a background job of
 * the client ({@code zk-job-cleanup-<node>}, which the client's {@code close()} interrupts and
 * joins) carries on.
 *
 * <p>Repeating a delete is safe because every node a recipe removes has a name nobody else will
 * ever create (a random UUID plus a sequence number), so a second delete can only find the node
 * gone.
 */
final class Cleanup {
    private static final System.Logger LOG = System.getLogger(Cleanup.class.getName());
    private static final long MAX_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Background attempts before giving up on a session that stays connected but keeps failing. */
    private static final int MAX_BACKGROUND_ATTEMPTS = 1_000;

    /** One attempt at some cleanup: true when nothing is left to do. */
    @FunctionalInterface
    interface Attempt {
        boolean run(long deadline);
    }

    private Cleanup() {}

    /**
     * Deletes an ephemeral node of session {@code owner}: on this thread until {@code budget}
     * passes, then in the background. Ignores (and keeps) the caller's interrupt.
     */
    static void removeNode(ZkClient client, String node, long owner, Duration budget) {
        run(client, Names.name(node), deadline -> tryRemoveNode(client, node, owner, deadline), budget);
    }

    /** Deletes an ephemeral node of session {@code owner}, entirely in the background. */
    static void removeNodeInBackground(ZkClient client, String node, long owner) {
        background(client, Names.name(node), deadline -> tryRemoveNode(client, node, owner, deadline));
    }

    /**
     * Deletes an ephemeral node of session {@code owner} in the background, after {@code delay}
     * (a removal by someone else meanwhile, e.g. the lease's {@code close()}, makes it a no-op).
     */
    static void removeNodeInBackgroundAfter(ZkClient client, String node, long owner, Duration delay) {
        client.runInBackground("cleanup-" + Names.name(node), () -> {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return; // the client is closing: its session, and the node with it, is over
            }
            Attempt attempt = deadline -> tryRemoveNode(client, node, owner, deadline);
            if (!attempt.run(System.nanoTime())) {
                retry(client, Names.name(node), attempt);
            }
        });
    }

    /** Runs {@code attempt} here until {@code budget} passes, then in the background. */
    static void run(ZkClient client, String what, Attempt attempt, Duration budget) {
        if (budget.isZero() && !client.state().isConnected()) {
            // a try here would wait for a connection, up to the request timeout: the caller's
            // deadline has passed or it was interrupted, so it must not wait
            background(client, what, attempt);
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            if (attempt.run(Deadlines.after(budget))) {
                return;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        background(client, what, attempt);
    }

    /**
     * Runs {@code attempt} as a background job of the client ({@link ZkClient#runInBackground})
     * until it succeeds; the client's {@code close()} interrupts and joins it. Nothing runs if the
     * client is closed: its session, and every ephemeral node of it, is over.
     */
    static void background(ZkClient client, String what, Attempt attempt) {
        client.runInBackground("cleanup-" + what, () -> retry(client, what, attempt));
    }

    /** Repeats {@code attempt}, with growing pauses, until it succeeds or this thread is interrupted. */
    private static void retry(ZkClient client, String what, Attempt attempt) {
        long pause = TimeUnit.MILLISECONDS.toNanos(20);
        for (int i = 0; i < MAX_BACKGROUND_ATTEMPTS; i++) {
            if (attempt.run(System.nanoTime())) {
                return;
            }
            try {
                client.awaitState(Duration.ofNanos(MAX_PAUSE_NANOS), SessionState.CONNECTED);
                Thread.sleep(Duration.ofNanos(pause));
            } catch (InterruptedException e) {
                return; // the client is closing
            }
            pause = Math.min(MAX_PAUSE_NANOS, 2 * pause);
        }
        LOG.log(
                Level.WARNING,
                () -> "gave up cleaning up " + what + " after " + MAX_BACKGROUND_ATTEMPTS
                        + " attempts; it goes when its session ends");
    }

    /**
     * Deletes the node unless its session is already over; repeats a delete whose outcome is
     * unknown until {@code deadline}.
     *
     * @return true when the node is gone (or will be, with its session), false to try again later
     */
    static boolean tryRemoveNode(ZkClient client, String node, long owner, long deadline) {
        while (true) {
            if (client.sessionId() != owner || client.state().isTerminal()) {
                return true; // the owning session is over: the ensemble removes its ephemeral nodes
            }
            try {
                client.delete(node, -1);
                return true;
            } catch (ZkException.NoNode e) {
                return true;
            } catch (ZkException e) {
                if (e.isTerminal()) {
                    return true;
                }
                if (e instanceof ZkException.Interrupted) {
                    Thread.interrupted();
                    return false;
                }
                if (!Failures.isTransient(e)) {
                    LOG.log(Level.WARNING, () -> "cannot delete " + node + "; it goes when its session ends", e);
                    return true;
                }
                if (Deadlines.passed(deadline)) {
                    return false;
                }
            }
        }
    }
}
