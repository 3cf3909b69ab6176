package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.testing.Sessions;
import io.loomzk.testing.ZkServer;
import io.loomzk.testing.internal.FourLetterWords;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Sessions#expire} against a client that reconnects at once when the expiry's second
 * connection takes its session over: repeated often enough to catch the race in which the
 * client re-attached between the steps of the expiry and the server kept its connection open on
 * a closed session. When {@code expire} returns, the server holds no connection of the session.
 */
@Timeout(300)
class ExpireRepeatedlyIT {
    private static ZkServer server;

    @BeforeAll
    static void start() {
        server = ZkServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * The server's connection list once it shows no connection of the session, or after a
     * second. A handshake in progress shows the session id for a moment (the client's reconnect,
     * told the session expired): only a connection that stays is a failure. One kept open on the
     * closed session stays until the client's read timeout (2/3 of 4 s), whose clock started
     * before {@code expire} returned.
     */
    private static String connectionsOfTheSessionAfterASecond(String mark) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (true) {
            String connections = FourLetterWords.ask(server.port(), "cons", Duration.ofSeconds(5));
            if (!connections.contains(mark) || System.nanoTime() > deadline) {
                return connections;
            }
            Thread.sleep(10);
        }
    }

    @Test
    void everyExpiryLeavesTheClientWithItsConnectionClosedAndTheSessionExpired() throws Exception {
        String mark;
        for (int i = 0; i < 100; i++) {
            try (ZkClient zk = ZkClient.builder(server.connectString())
                    .sessionTimeout(Duration.ofSeconds(4))
                    .build()) {
                mark = "sid=0x" + Long.toHexString(zk.sessionId()) + ",";
                Sessions.expire(server.connectString(), zk.sessionId(), zk.sessionPassword());
                assertThat(connectionsOfTheSessionAfterASecond(mark))
                        .as("iteration %d: the server keeps no connection of the expired session", i)
                        .doesNotContain(mark);
                assertThat(zk.awaitState(Duration.ofSeconds(20), SessionState.EXPIRED))
                        .as("iteration %d", i)
                        .isEqualTo(SessionState.EXPIRED);
            }
        }
    }
}
