package io.loomzk.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.protocol.EventType;
import io.loomzk.testing.ZkEnsemble;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One session surviving the loss of the server it is connected to, on a real three-server
 * ensemble whose servers are killed, paused and restarted as processes.
 */
@Timeout(180)
class EnsembleSessionIT {
    private static ZkEnsemble ensemble;
    private String base;
    private ZkClient zk;
    private final List<SessionState> states = new CopyOnWriteArrayList<>();
    /** When the client went SUSPENDED, in {@link System#nanoTime()} terms. */
    private final List<Long> suspendedAt = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        ensemble = ZkEnsemble.startWith(3);
    }

    @AfterAll
    static void stop() {
        ensemble.close();
    }

    @BeforeEach
    void connect() {
        for (int i = 0; i < ensemble.size(); i++) {
            if (!ensemble.isRunning(i)) {
                ensemble.start(i);
            }
        }
        base = "/s-" + UUID.randomUUID();
        zk = connect(Duration.ofSeconds(8));
        zk.create(base, null);
    }

    private ZkClient connect(Duration sessionTimeout) {
        return ZkClient.builder(ensemble.connectString())
                .sessionTimeout(sessionTimeout)
                .requestTimeout(Duration.ofSeconds(30))
                .stateListener(state -> {
                    if (state == SessionState.SUSPENDED) {
                        suspendedAt.add(System.nanoTime());
                    }
                    states.add(state);
                })
                .build();
    }

    @AfterEach
    void close() {
        zk.close();
    }

    private int connectedIndex() {
        InetSocketAddress server = zk.connectedServer();
        assertThat(server).isNotNull();
        for (int i = 0; i < ensemble.size(); i++) {
            if (ensemble.clientPort(i) == server.getPort()) {
                return i;
            }
        }
        throw new AssertionError("connected to " + server + ", which is not in the ensemble");
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    @Test
    void killingTheConnectedServerKeepsTheSessionItsEphemeralsAndItsWatches() throws Exception {
        // A session long enough to outlast an election on a loaded machine: killing the leader
        // makes the others notice (syncLimit), elect and sync before anyone is served again.
        zk.close();
        states.clear();
        zk = connect(Duration.ofSeconds(20));
        long session = zk.sessionId();
        zk.create(base + "/mine", "e".getBytes(UTF_8), CreateOptions.ephemeral());
        zk.create(base + "/watched", null);
        OneShotWatch watch = zk.getDataAndWatch(base + "/watched").watch();
        int victim = connectedIndex();

        long killed = System.nanoTime();
        ensemble.kill(victim);
        assertThat(zk.exists(base + "/mine")).isPresent(); // the first call after the kill
        long recovered = millisSince(killed);
        System.out.printf(
                "kill -9 of server %d (leader: %s) to first successful call: %d ms%n",
                victim, ensemble.leader() == victim, recovered);

        assertThat(zk.sessionId()).isEqualTo(session);
        assertThat(connectedIndex()).isNotEqualTo(victim);
        assertThat(zk.getData(base + "/mine").stat().ephemeralOwner()).isEqualTo(session);
        try (ZkClient other = ZkClient.builder(ensemble.connectString()).build()) {
            other.setData(base + "/watched", "after".getBytes(UTF_8));
        }
        WatchedEvent event = watch.await(Duration.ofSeconds(10)).orElseThrow();
        assertThat(event.type()).isEqualTo(EventType.NODE_DATA_CHANGED);
        Listeners.awaitDelivered(states, seen -> seen.getLast() == SessionState.CONNECTED);
        assertThat(states).contains(SessionState.SUSPENDED).endsWith(SessionState.CONNECTED);
        assertThat(recovered).isLessThan(zk.negotiatedSessionTimeout().toMillis());
    }

    @Test
    void pausingTheConnectedServerMovesTheSessionOnWithinTheReadTimeout() throws Exception {
        long session = zk.sessionId();
        zk.create(base + "/mine", null, CreateOptions.ephemeral());
        int victim = connectedIndex();
        long paused = System.nanoTime();
        ensemble.pause(victim); // returns once the others have settled, which may take a while
        try {
            // the moment the client noticed, from its listener: by the time pause() returns the
            // client may have moved on already
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (suspendedAt.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(suspendedAt).as("the client went SUSPENDED").isNotEmpty();
            long noticed = (suspendedAt.getFirst() - paused) / 1_000_000;
            assertThat(zk.exists(base + "/mine")).isPresent();
            long moved = millisSince(paused);
            System.out.printf(
                    "SIGSTOP of server %d: noticed after %d ms, served again after %d ms%n", victim, noticed, moved);
            long readTimeout = zk.negotiatedSessionTimeout().toMillis() * 2 / 3;
            assertThat(noticed).isLessThanOrEqualTo(readTimeout + 1000);
            assertThat(moved).isLessThan(zk.negotiatedSessionTimeout().toMillis());
            assertThat(zk.sessionId()).isEqualTo(session);
            assertThat(connectedIndex()).isNotEqualTo(victim);
        } finally {
            ensemble.resume(victim);
        }
    }

    @Test
    void restartingTheWholeEnsembleWithinTheSessionTimeoutKeepsTheSession() throws Exception {
        zk.close();
        zk = ZkClient.builder(ensemble.connectString())
                .sessionTimeout(Duration.ofSeconds(30))
                .requestTimeout(Duration.ofSeconds(60))
                .build();
        long session = zk.sessionId();
        zk.create(base + "/mine", null, CreateOptions.ephemeral());
        OneShotWatch watch = zk.existsAndWatch(base + "/later").watch();
        long down = System.nanoTime();
        for (int i = 0; i < ensemble.size(); i++) {
            ensemble.stop(i);
        }
        for (int i = 0; i < ensemble.size(); i++) {
            ensemble.start(i);
        }
        assertThat(zk.exists(base + "/mine")).isPresent();
        System.out.printf("whole-ensemble restart: session served again after %d ms%n", millisSince(down));
        assertThat(zk.sessionId()).isEqualTo(session);
        assertThat(zk.getData(base + "/mine").stat().ephemeralOwner()).isEqualTo(session);
        try (ZkClient other = ZkClient.builder(ensemble.connectString()).build()) {
            other.create(base + "/later", null);
        }
        assertThat(watch.await(Duration.ofSeconds(10))).isPresent();
    }

    @Test
    void aChangeMadeWhileDisconnectedFiresTheWatchOnReconnect() throws Exception {
        zk.create(base + "/n", null);
        OneShotWatch watch = zk.getDataAndWatch(base + "/n").watch();
        int victim = connectedIndex();
        ensemble.pause(victim); // the client cannot hear anything until it moves
        try {
            try (ZkClient other = ZkClient.builder(connectStringWithout(victim)).build()) {
                other.setData(base + "/n", "while away".getBytes(UTF_8));
            }
            // the change happened while the client was cut off; SetWatches2 with the last zxid
            // makes the new server fire it at once
            WatchedEvent event = watch.await(Duration.ofSeconds(20)).orElseThrow();
            assertThat(event.type()).isEqualTo(EventType.NODE_DATA_CHANGED);
        } finally {
            ensemble.resume(victim);
        }
    }

    private static String connectStringWithout(int excluded) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < ensemble.size(); i++) {
            if (i != excluded) {
                sb.append(sb.isEmpty() ? "" : ",").append("127.0.0.1:").append(ensemble.clientPort(i));
            }
        }
        return sb.toString();
    }
}
