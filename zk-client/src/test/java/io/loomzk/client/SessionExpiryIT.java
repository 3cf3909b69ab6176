package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.protocol.AddWatchMode;
import io.loomzk.testing.Sessions;
import io.loomzk.testing.ZkProxy;
import io.loomzk.testing.ZkServer;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A session that cannot be saved: expiry seen from the client, checked on the server. */
@Timeout(120)
class SessionExpiryIT {
    private static ZkServer server;

    @BeforeAll
    static void start() {
        server = ZkServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aBlackholeLongerThanTheSessionTimeoutExpiresTheSessionOnBothSidesAndNoCallHangs() throws Exception {
        String base = "/x-" + UUID.randomUUID();
        List<SessionState> states = new CopyOnWriteArrayList<>();
        try (ZkProxy proxy = ZkProxy.start(server.connectString());
                ZkClient observer = ZkClient.builder(server.connectString()).build();
                ZkClient zk = ZkClient.builder(proxy.connectString())
                        .sessionTimeout(Duration.ofSeconds(2))
                        .requestTimeout(Duration.ofSeconds(30))
                        .stateListener(states::add)
                        .build()) {
            zk.create(base, null);
            zk.create(base + "/eph", null, CreateOptions.ephemeral());
            OneShotWatch watch = zk.getDataAndWatch(base).watch();
            PersistentWatch persistent = zk.addWatch(base, AddWatchMode.PERSISTENT_RECURSIVE);
            long session = zk.sessionId();

            proxy.blackhole();
            long start = System.nanoTime();
            Queue<Throwable> inFlight = new ConcurrentLinkedQueue<>();
            Queue<Throwable> waiting = new ConcurrentLinkedQueue<>();
            CountDownLatch done = new CountDownLatch(100);
            startCalls(zk, base, 50, inFlight, done); // sent into the blackhole
            assertThat(zk.awaitState(Duration.ofSeconds(10), SessionState.SUSPENDED))
                    .isEqualTo(SessionState.SUSPENDED);
            startCalls(zk, base, 50, waiting, done); // made while suspended: they wait for a connection
            assertThat(done.await(20, TimeUnit.SECONDS)).as("no call hangs").isTrue();
            assertThat(zk.awaitState(Duration.ofSeconds(10), SessionState.EXPIRED))
                    .isEqualTo(SessionState.EXPIRED);
            long expiredAfter = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("client declared the session expired %d ms into the blackhole%n", expiredAfter);
            assertThat(expiredAfter).isBetween(1500L, 6000L);
            assertThat(inFlight)
                    .hasSize(50)
                    .allSatisfy(t -> assertThat(t).isInstanceOf(ZkException.ConnectionLoss.class));
            assertThat(waiting)
                    .hasSize(50)
                    .allSatisfy(t -> assertThat(t).isInstanceOf(ZkException.SessionExpired.class));
            assertThat(statesSeenWithExpiry).containsOnly(SessionState.EXPIRED); // state first, then the error
            Listeners.awaitDelivered(states, seen -> seen.contains(SessionState.EXPIRED));
            assertThat(states).containsSubsequence(SessionState.SUSPENDED, SessionState.EXPIRED);

            assertThatThrownBy(() -> zk.exists("/"))
                    .isInstanceOfSatisfying(
                            ZkException.SessionExpired.class,
                            e -> assertThat(e.isTerminal()).isTrue());
            assertThatThrownBy(watch::await).isInstanceOf(ZkException.SessionExpired.class);
            assertThatThrownBy(persistent::next).isInstanceOf(ZkException.SessionExpired.class);

            // the server really expired it: its ephemeral node goes away
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (observer.exists(base + "/eph").isPresent()) {
                assertThat(System.nanoTime())
                        .as("the server still has the ephemeral")
                        .isLessThan(deadline);
                Thread.sleep(50);
            }

            // the application decides: a fresh session on the same client
            proxy.resume();
            zk.startNewSession();
            assertThat(zk.state()).isEqualTo(SessionState.CONNECTED);
            assertThat(zk.sessionId()).isNotEqualTo(session);
            zk.create(base + "/eph", null, CreateOptions.ephemeral());
            assertThat(observer.exists(base + "/eph").orElseThrow().ephemeralOwner())
                    .isEqualTo(zk.sessionId());
        }
    }

    /** The state() each call saw at the moment it got SessionExpired. */
    private final Queue<SessionState> statesSeenWithExpiry = new ConcurrentLinkedQueue<>();

    private void startCalls(ZkClient zk, String path, int n, Queue<Throwable> outcomes, CountDownLatch done) {
        for (int i = 0; i < n; i++) {
            Thread.ofVirtual().start(() -> {
                try {
                    zk.getData(path);
                    outcomes.add(new AssertionError("served through a blackhole"));
                } catch (ZkException.SessionExpired e) {
                    statesSeenWithExpiry.add(zk.state());
                    outcomes.add(e);
                } catch (Throwable t) {
                    outcomes.add(t);
                } finally {
                    done.countDown();
                }
            });
        }
    }

    @Test
    void anExpiryDoneByTheServerIsSeenByTheClient() throws Exception {
        try (ZkClient zk = ZkClient.builder(server.connectString())
                .sessionTimeout(Duration.ofSeconds(10))
                .build()) {
            OneShotWatch watch =
                    zk.existsAndWatch("/never-" + UUID.randomUUID()).watch();
            Sessions.expire(server.connectString(), zk.sessionId(), zk.sessionPassword());
            assertThat(zk.awaitState(Duration.ofSeconds(20), SessionState.EXPIRED))
                    .isEqualTo(SessionState.EXPIRED);
            assertThatThrownBy(() -> watch.await(Duration.ofSeconds(5))).isInstanceOf(ZkException.SessionExpired.class);
            assertThatThrownBy(() -> zk.getData("/")).isInstanceOf(ZkException.SessionExpired.class);
        }
    }

    @Test
    void startNewSessionIsOnlyForEndedSessions() {
        try (ZkClient zk = ZkClient.builder(server.connectString()).build()) {
            assertThatThrownBy(zk::startNewSession).isInstanceOf(IllegalStateException.class);
            zk.close();
            assertThatThrownBy(zk::startNewSession).isInstanceOf(IllegalStateException.class);
        }
    }
}
