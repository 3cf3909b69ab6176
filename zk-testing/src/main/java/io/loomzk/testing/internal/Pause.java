package io.loomzk.testing.internal;

import java.time.Duration;

/** Sleeping inside bounded polling loops. */
public final class Pause {
    private Pause() {}

    /**
     * Sleeps {@code millis}.
     *
     * @throws IllegalStateException if interrupted; the interrupt flag stays set
     */
    public static void sleep(long millis, String whatWeWaitFor) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + whatWeWaitFor, e);
        }
    }

    /** The {@link System#nanoTime()} deadline {@code timeout} from now. */
    public static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    /** Whether {@code deadline} has passed. */
    public static boolean passed(long deadline) {
        return System.nanoTime() - deadline >= 0;
    }
}
