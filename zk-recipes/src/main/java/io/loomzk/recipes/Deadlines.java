package io.loomzk.recipes;

import io.loomzk.client.SessionState;
import io.loomzk.client.ZkClient;
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

    /**
     * Waits for the client to be connected, until the deadline: a call made while disconnected
     * waits for a connection up to the client's request timeout, which may be past the caller's
     * deadline. A terminal state ends the wait too (the next call then says why).
     *
     * @return false if the deadline passed first
     */
    static boolean awaitConnected(ZkClient client, long deadline) throws InterruptedException {
        if (deadline == NONE || client.state().isConnected()) {
            return true;
        }
        long remaining = remaining(deadline);
        if (remaining <= 0) {
            return false;
        }
        SessionState state =
                client.awaitState(Duration.ofNanos(remaining), SessionState.CONNECTED, SessionState.READ_ONLY);
        return state.isConnected() || state.isTerminal();
    }
}
