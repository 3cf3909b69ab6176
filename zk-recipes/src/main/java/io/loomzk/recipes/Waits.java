package io.loomzk.recipes;

import io.loomzk.client.OneShotWatch;
import java.time.Duration;

/** Waiting on one-shot watches with a deadline, leaving no watch registered when giving up. */
final class Waits {
    private Waits() {}

    /**
     * Waits for {@code watch} to fire until {@code deadline}; a watch not fired is cancelled, so a
     * caller that retries does not pile them up.
     *
     * @return true if it fired, false if the deadline passed first
     */
    static boolean await(OneShotWatch watch, long deadline) throws InterruptedException {
        boolean fired = false;
        try {
            if (deadline == Deadlines.NONE) {
                watch.await();
                fired = true;
            } else {
                long remaining = Deadlines.remaining(deadline);
                fired = remaining > 0
                        && watch.await(Duration.ofNanos(remaining)).isPresent();
            }
            return fired;
        } finally {
            if (!fired) {
                watch.cancel();
            }
        }
    }

    /**
     * Waits until either watch fires, until {@code deadline}. A helper virtual thread waits on
     * {@code second} and cancels {@code first} when it fires, which wakes this thread; both watches
     * are cancelled (if not fired) and the helper is joined before this returns.
     *
     * @return true if either fired, false if the deadline passed first
     */
    static boolean awaitAny(OneShotWatch first, OneShotWatch second, long deadline) throws InterruptedException {
        Thread helper = Thread.ofVirtual()
                .name("zk-recipes-wait-" + Names.name(second.path()))
                .start(() -> {
                    try {
                        if (deadline == Deadlines.NONE) {
                            second.await();
                        } else {
                            long remaining = Deadlines.remaining(deadline);
                            if (remaining > 0) {
                                second.await(Duration.ofNanos(remaining));
                            }
                        }
                    } catch (InterruptedException | RuntimeException e) {
                        // the session ended or we are shutting down: wake the waiter either way
                    }
                    first.cancel();
                });
        try {
            boolean firstFired = await(first, deadline);
            return firstFired || second.isDone();
        } finally {
            second.cancel();
            first.cancel();
            helper.join(Duration.ofSeconds(5));
        }
    }
}
