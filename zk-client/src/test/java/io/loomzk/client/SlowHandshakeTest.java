package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that answers handshakes a byte at a time, each byte well within any read timeout: every
 * connection attempt must still end by its one deadline, and {@code close()} must end an attempt
 * in progress, leaving no thread and no socket behind.
 */
@Timeout(120)
class SlowHandshakeTest {

    @Test
    void failedBuildsAgainstATricklingPeerLeaveNoSessionThreadAndNoOpenSocket() throws Exception {
        try (TricklingPeer peer = TricklingPeer.start()) {
            for (int i = 0; i < 10; i++) {
                assertThatThrownBy(() -> ZkClient.builder(peer.connectString())
                                .sessionTimeout(Duration.ofSeconds(6))
                                .connectTimeout(Duration.ofMillis(500))
                                .build())
                        .isInstanceOf(ZkException.ConnectionLoss.class);
            }
            assertThat(peer.accepted()).as("the client tried").isGreaterThanOrEqualTo(10);
            String port = ":" + peer.port();
            assertThat(eventually(() -> LiveThreads.named("zk-session-", port)))
                    .as("session threads left behind")
                    .isZero();
            assertThat(eventually(peer::openConnections))
                    .as("sockets the client left open")
                    .isZero();
        }
    }

    @Test
    void aCutSessionWhoseOnlyHostTricklesExpiresWithinItsTimeout() throws Exception {
        try (TricklingPeer peer = TricklingPeer.cutThenTrickle(6_000);
                ZkClient zk = ZkClient.builder(peer.connectString())
                        .sessionTimeout(Duration.ofSeconds(6))
                        .connectTimeout(Duration.ofSeconds(5))
                        .build()) {
            assertThat(zk.awaitState(Duration.ofSeconds(10), SessionState.SUSPENDED))
                    .isEqualTo(SessionState.SUSPENDED);
            // 6 s of silence expire the session; a generous margin for a loaded machine
            assertThat(zk.awaitState(Duration.ofSeconds(30), SessionState.EXPIRED))
                    .isEqualTo(SessionState.EXPIRED);
            assertThat(peer.accepted()).as("reconnect attempts were made").isGreaterThan(1);
        }
    }

    /** Polls a count until it is zero, for at most 10 s; returns the last count. */
    static int eventually(IntSupplier count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int n = count.getAsInt();
        while (n != 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            n = count.getAsInt();
        }
        return n;
    }
}
