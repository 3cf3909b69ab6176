package io.loomzk.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.testing.ZkEnsemble;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Read-only mode on a real ensemble whose quorum is lost. ZooKeeper's read-only servers serve
 * only sessions created while the quorum is lost ("Refusing global session reconnection in RO
 * mode"): a client that starts during the outage runs {@link SessionState#READ_ONLY} and moves to
 * a read-write server by itself when the quorum is back, while a client whose session was made
 * by a read-write server stays {@link SessionState#SUSPENDED} and keeps its session if the quorum
 * returns within its timeout. (The veteran's session is made global by its ephemeral node:
 * with local sessions enabled, ZooKeeper upgrades a session when it creates one.)
 */
@Timeout(240)
class ReadOnlyIT {

    /**
     * A client that starts once the server serves read-only. Server 0 needs a moment to notice
     * it lost its quorum (and a while more to serve read-only); a client that connects before
     * gets an ordinary session, which is not what this test is about.
     */
    private static ZkClient readOnlyClient(String connectString, List<SessionState> states)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            states.clear();
            ZkClient client = ZkClient.builder(connectString)
                    .canBeReadOnly(true)
                    .connectTimeout(Duration.ofSeconds(30))
                    .requestTimeout(Duration.ofSeconds(60))
                    .stateListener(states::add)
                    .build();
            if (client.state() == SessionState.READ_ONLY) {
                return client;
            }
            client.close();
            assertThat(System.nanoTime()).as("server 0 never served read-only").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @Test
    void readOnlyWhileTheQuorumIsLostThenReadWriteAgain() throws Exception {
        List<SessionState> newcomerStates = new CopyOnWriteArrayList<>();
        List<SessionState> veteranStates = new CopyOnWriteArrayList<>();
        try (ZkEnsemble ensemble = ZkEnsemble.builder()
                        .jvmOptions("-Dreadonlymode.enabled=true")
                        // a read-only server can only create local sessions: without these its
                        // session creation never completes (seen with Apache's client too)
                        .property("localSessionsEnabled", "true")
                        .property("localSessionsUpgradingEnabled", "true")
                        .start();
                ZkClient veteran = ZkClient.builder(ensemble.connectString())
                        .canBeReadOnly(true)
                        .sessionTimeout(Duration.ofSeconds(40))
                        .requestTimeout(Duration.ofSeconds(5))
                        .stateListener(veteranStates::add)
                        .build()) {
            veteran.create("/ro", "before".getBytes(UTF_8));
            veteran.create("/mine", null, CreateOptions.ephemeral());
            long veteranSession = veteran.sessionId();
            ensemble.stop(1);
            ensemble.stop(2); // server 0 loses its quorum and, after a while, serves read-only

            try (ZkClient newcomer = readOnlyClient(ensemble.connectString(0), newcomerStates)) {
                assertThat(newcomer.state()).isEqualTo(SessionState.READ_ONLY);
                assertThat(new String(newcomer.getData("/ro").data(), UTF_8)).isEqualTo("before");
                assertThatThrownBy(() -> newcomer.setData("/ro", "during".getBytes(UTF_8)))
                        .isInstanceOf(ZkException.NotReadOnly.class);
                assertThatThrownBy(() -> ZkClient.builder(ensemble.connectString(0))
                                .connectTimeout(Duration.ofSeconds(3))
                                .build())
                        .as("a client that does not allow read-only is not served")
                        .isInstanceOf(ZkException.ConnectionLoss.class);
                assertThat(veteran.state()).isEqualTo(SessionState.SUSPENDED);

                ensemble.start(1);
                ensemble.start(2);
                assertThat(newcomer.awaitState(Duration.ofSeconds(60), SessionState.CONNECTED))
                        .isEqualTo(SessionState.CONNECTED);
                newcomer.setData("/ro", "after".getBytes(UTF_8));
                Listeners.awaitDelivered(newcomerStates, seen -> seen.contains(SessionState.CONNECTED));
                assertThat(newcomerStates).containsSubsequence(SessionState.READ_ONLY, SessionState.CONNECTED);
            }
            assertThat(veteran.awaitState(Duration.ofSeconds(30), SessionState.CONNECTED))
                    .isEqualTo(SessionState.CONNECTED);
            assertThat(veteran.sessionId()).isEqualTo(veteranSession);
            assertThat(veteran.exists("/mine")).isPresent();
            assertThat(new String(veteran.getData("/ro").data(), UTF_8)).isEqualTo("after");
            Listeners.awaitDelivered(veteranStates, seen -> seen.getLast() == SessionState.CONNECTED);
            assertThat(veteranStates).doesNotContain(SessionState.READ_ONLY, SessionState.EXPIRED);
        }
    }
}
