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
                fired = remaining > 0 && watch.await(Duration.ofNanos(remaining)).isPresent();
            }
            return fired;
        } finally {
            if (!fired) {
                watch.cancel();
            }
        }
    }
}
