package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.protocol.AddWatchMode;
import io.loomzk.protocol.EventType;
import io.loomzk.testing.ZkEnsemble;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
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

/** {@link ZkClient#dropConnection()} on a real three-server ensemble. */
@Timeout(180)
class DropConnectionIT {
    private static ZkEnsemble ensemble;

    @BeforeAll
    static void start() {
        ensemble = ZkEnsemble.startWith(3);
    }

    @AfterAll
    static void stop() {
        ensemble.close();
    }

    @Test
    void droppingTheConnectionMovesToAnotherServerAndKeepsSessionEphemeralNodeAndWatches() throws Exception {
        String base = "/d-" + UUID.randomUUID();
        List<SessionState> states = new CopyOnWriteArrayList<>();
        try (ZkClient observer = ZkClient.builder(ensemble.connectString()).build();
                ZkClient zk = ZkClient.builder(ensemble.connectString())
                        .sessionTimeout(Duration.ofSeconds(10))
                        .requestTimeout(Duration.ofSeconds(30))
                        .stateListener(states::add)
                        .build()) {
            zk.create(base, null);
            zk.create(base + "/eph", null, CreateOptions.ephemeral());
            OneShotWatch oneShot = zk.getDataAndWatch(base).watch();
            PersistentWatch persistent = zk.addWatch(base, AddWatchMode.PERSISTENT_RECURSIVE);
            long session = zk.sessionId();

            for (int round = 0; round < 3; round++) {
                InetSocketAddress before = zk.connectedServer();
                // calls racing the drop either succeed or fail with a connection loss, as on a cut
                Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
                CountDownLatch done = new CountDownLatch(200);
                for (int i = 0; i < 200; i++) {
                    Thread.ofVirtual().start(() -> {
                        try {
                            zk.exists(base);
                        } catch (Throwable t) {
                            failures.add(t);
                        } finally {
                            done.countDown();
                        }
                    });
                }
                assertThat(zk.dropConnection()).isTrue();
                assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
                assertThat(failures).allMatch(t -> t instanceof ZkException.ConnectionLoss, "connection losses");
                assertThat(zk.awaitState(Duration.ofSeconds(30), SessionState.CONNECTED))
                        .isEqualTo(SessionState.CONNECTED);
                InetSocketAddress after = awaitServer(zk);
                System.out.printf(
                        "round %d: %s -> %s, %d racing calls lost their connection%n",
                        round, before, after, failures.size());
                assertThat(after).as("another server of the three").isNotEqualTo(before);
                assertThat(zk.sessionId()).isEqualTo(session);
                assertThat(observer.getData(base + "/eph").stat().ephemeralOwner())
                        .isEqualTo(session);
            }
            Listeners.awaitDelivered(states, s -> s.size() >= 7);
            assertThat(states)
                    .containsExactly(
                            SessionState.CONNECTED,
                            SessionState.SUSPENDED,
                            SessionState.CONNECTED,
                            SessionState.SUSPENDED,
                            SessionState.CONNECTED,
                            SessionState.SUSPENDED,
                            SessionState.CONNECTED);

            // watches set before the drops were re-armed on the new connections
            observer.setData(base, "x".getBytes(StandardCharsets.UTF_8));
            assertThat(oneShot.await(Duration.ofSeconds(20)).orElseThrow().type())
                    .isEqualTo(EventType.NODE_DATA_CHANGED);
            WatchedEvent event = persistent.poll(Duration.ofSeconds(20)).orElseThrow();
            assertThat(event.type()).isEqualTo(EventType.NODE_DATA_CHANGED);
            persistent.close();
        }
    }

    /**
     * A take-over through another server of the ensemble: the old holder's connection keeps
     * serving until one of its writes reaches the leader's owner check, which closes it; its
     * reconnect takes the session back until the new holder writes, and so on. With both writing,
     * the old holder gives the session up at its third close, and the new holder keeps it.
     */
    @Test
    void anOldHolderOnAnotherServerGivesTheSessionUpWhenItsWritesAreRefused() throws Exception {
        String base = "/t-" + UUID.randomUUID();
        List<SessionState> oldStates = new CopyOnWriteArrayList<>();
        try (ZkClient observer = ZkClient.builder(ensemble.connectString()).build();
                ZkClient old = ZkClient.builder(ensemble.connectString())
                        .yieldSessionOnTakeover(true)
                        .sessionTimeout(Duration.ofSeconds(10))
                        .stateListener(oldStates::add)
                        .build()) {
            observer.create(base, null);
            old.create(base + "/eph", null, CreateOptions.ephemeral());
            int oldServer = index(old.connectedServer());
            int other = (oldServer + 1) % ensemble.size();
            try (ZkClient taker = ZkClient.builder(ensemble.connectString(other))
                    .yieldSessionOnTakeover(true)
                    .sessionTimeout(Duration.ofSeconds(10))
                    .session(old.sessionCredentials())
                    .build()) {
                // Each refused write closes the writer's connection, and its reconnect takes the
                // session back (the owner is whoever revalidated last), so only a holder that
                // writes finds out: both write here, in turn.
                int oldRefused = 0;
                int takerRefused = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (old.state() != SessionState.EXPIRED && System.nanoTime() < deadline) {
                    try {
                        old.setData(base, new byte[1]);
                    } catch (ZkException.ConnectionLoss e) {
                        oldRefused++;
                    } catch (ZkException.SessionExpired e) {
                        break;
                    }
                    try {
                        taker.setData(base, new byte[2]);
                    } catch (ZkException.ConnectionLoss e) {
                        takerRefused++;
                    }
                    Thread.sleep(20);
                }
                System.out.printf(
                        "old holder on server %d, taker on %d: %d and %d writes refused; old saw %s%n",
                        oldServer, other, oldRefused, takerRefused, oldStates);
                assertThat(old.awaitState(Duration.ofSeconds(10), SessionState.EXPIRED))
                        .isEqualTo(SessionState.EXPIRED);
                assertThat(taker.awaitState(Duration.ofSeconds(30), SessionState.CONNECTED))
                        .isEqualTo(SessionState.CONNECTED);
                taker.setData(base + "/eph", new byte[] {1});
                assertThat(observer.getData(base + "/eph").stat().ephemeralOwner())
                        .isEqualTo(taker.sessionId());
            }
        }
    }

    private static int index(InetSocketAddress server) {
        for (int i = 0; i < ensemble.size(); i++) {
            if (ensemble.clientPort(i) == server.getPort()) {
                return i;
            }
        }
        throw new AssertionError("not a server of the ensemble: " + server);
    }

    @Test
    void nothingToDropWhenTheClientIsClosed() {
        ZkClient zk = ZkClient.builder(ensemble.connectString()).build();
        zk.close();
        assertThat(zk.dropConnection()).isFalse();
    }

    private static InetSocketAddress awaitServer(ZkClient zk) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        InetSocketAddress s;
        while ((s = zk.connectedServer()) == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return s;
    }
}
