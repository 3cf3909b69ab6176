package io.loomzk.client;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** State listeners run on their own thread: tests give them a moment to deliver. */
final class Listeners {
    private Listeners() {}

    /** Waits up to 5 s until the recorded states satisfy {@code condition}. */
    static void awaitDelivered(List<SessionState> states, Predicate<List<SessionState>> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.test(List.copyOf(states)) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
