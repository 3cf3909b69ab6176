package io.loomzk.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.SessionState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StateChannelTest {
    /**
     * The session loop publishes CLOSED as it ends, then {@code close()} calls publishClosed and
     * waits for the listeners' thread. That thread used to idle its full second after delivering
     * CLOSED (nothing woke it), so every close() of a client with a state listener took a second.
     * Ten closes in a row must not take ten seconds (the bound is wide: they take milliseconds).
     */
    @Test
    void closingDoesNotWaitForTheListenerThreadToIdle() throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            StateChannel channel = new StateChannel("test-" + i);
            List<SessionState> heard = new CopyOnWriteArrayList<>();
            channel.addListener(heard::add);
            channel.publish(SessionState.CONNECTED);
            channel.publish(SessionState.CLOSED);
            awaitHeard(heard, SessionState.CLOSED);
            channel.publishClosed();
            channel.awaitDelivered(System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            assertThat(heard).containsExactly(SessionState.CONNECTED, SessionState.CLOSED);
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
                .as("ten closes, each of which used to wait 1 s")
                .isLessThan(7_000);
    }

    private static void awaitHeard(List<SessionState> heard, SessionState state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!heard.contains(state)) {
            assertThat(System.nanoTime()).as("heard " + state + " within 30 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
