package io.loomzk.recipes;

import java.time.Duration;

/** {@link System#nanoTime()} deadlines, with {@link #NONE} for waits without one. */
final class Deadlines {
    /** No deadline. */
    static final long NONE = Long.MAX_VALUE;

    private Deadlines() {}

    /** The deadline {@code timeout} from now; a negative timeout is zero. */
    static long after(Duration timeout) {
        long nanos;
        try {
            nanos = Math.max(0, timeout.toNanos());
        } catch (ArithmeticException e) {
            return NONE;
        }
        return System.nanoTime() + Math.min(nanos, Long.MAX_VALUE / 4);
    }

    /** Nanoseconds left (at most {@code Long.MAX_VALUE} for {@link #NONE}); zero or less when passed. */
    static long remaining(long deadline) {
        return deadline == NONE ? Long.MAX_VALUE : deadline - System.nanoTime();
    }

    static boolean passed(long deadline) {
        return deadline != NONE && deadline - System.nanoTime() <= 0;
    }
}
