package io.loomzk.client.internal;

import java.time.Duration;

/** Joining the threads a client owns, within a deadline. */
final class Threads {
    private Threads() {}

    /**
     * Waits for {@code t} to end, until {@code deadlineNanos} at most; returns at once for null or
     * for the calling thread itself (a listener that closes the client from its own thread). An
     * interrupt ends the wait and stays set.
     */
    static void joinUntil(Thread t, long deadlineNanos) {
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining > 0) {
                t.join(Duration.ofNanos(remaining));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
