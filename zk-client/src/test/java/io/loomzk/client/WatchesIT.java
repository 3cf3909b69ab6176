package io.loomzk.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.protocol.AddWatchMode;
import io.loomzk.protocol.EventType;
import io.loomzk.protocol.Stat;
import io.loomzk.protocol.WatcherType;
import io.loomzk.testing.ZkServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One-shot and persistent watches against a real server, inside a chroot. */
@Timeout(60)
class WatchesIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static ZkServer server;
    private ZkClient zk;
    private ZkClient other;

    @BeforeAll
    static void startServer() {
        server = ZkServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void connect() {
        String chroot = "/w-" + UUID.randomUUID();
        try (ZkClient root = ZkClient.builder(server.connectString()).build()) {
            root.create(chroot, null);
        }
        zk = ZkClient.builder(server.connectString() + chroot).build();
        other = ZkClient.builder(server.connectString() + chroot).build();
    }

    @AfterEach
    void disconnect() {
        zk.close();
        other.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void dataWatchFiresOnceOnChangeWithTheChrootStrippedPath() throws Exception {
        zk.create("/n", bytes("a"));
        Watched<NodeData> read = zk.getDataAndWatch("/n");
        assertThat(read.value().data()).isEqualTo(bytes("a"));
        assertThat(read.watch().isDone()).isFalse();
        assertThat(read.watch().poll()).isEmpty();

        other.setData("/n", bytes("b"));
        WatchedEvent event = read.watch().await();
        assertThat(event.type()).isEqualTo(EventType.NODE_DATA_CHANGED);
        assertThat(event.path()).isEqualTo("/n");
        assertThat(event.zxid()).isEqualTo(zk.getData("/n").stat().mzxid());
        assertThat(read.watch().isDone()).isTrue();

        other.setData("/n", bytes("c")); // one-shot: nothing more arrives
        assertThat(read.watch().await(Duration.ofMillis(200))).contains(event);
    }

    @Test
    void dataWatchFiresOnDelete() throws Exception {
        zk.create("/d", null);
        OneShotWatch watch = zk.getDataAndWatch("/d").watch();
        other.delete("/d");
        assertThat(watch.await(WAIT)).get().extracting(WatchedEvent::type).isEqualTo(EventType.NODE_DELETED);
    }

    @Test
    void existsWatchOnAMissingNodeFiresOnCreation() throws Exception {
        Watched<Optional<Stat>> absent = zk.existsAndWatch("/later");
        assertThat(absent.value()).isEmpty();
        other.create("/later", null);
        WatchedEvent event = absent.watch().await(WAIT).orElseThrow();
        assertThat(event.type()).isEqualTo(EventType.NODE_CREATED);
        assertThat(event.path()).isEqualTo("/later");

        Watched<Optional<Stat>> present = zk.existsAndWatch("/later");
        assertThat(present.value()).isPresent();
        other.delete("/later");
        assertThat(present.watch().await(WAIT).orElseThrow().type()).isEqualTo(EventType.NODE_DELETED);
    }

    @Test
    void childWatchFiresOnChildChangesButNotOnDataChanges() throws Exception {
        zk.create("/parent", null);
        OneShotWatch watch = zk.getChildrenAndWatch("/parent").watch();
        other.setData("/parent", bytes("x"));
        assertThat(watch.await(Duration.ofMillis(300))).isEmpty();
        other.create("/parent/kid", null);
        WatchedEvent event = watch.await(WAIT).orElseThrow();
        assertThat(event.type()).isEqualTo(EventType.NODE_CHILDREN_CHANGED);
        assertThat(event.path()).isEqualTo("/parent");
    }

    @Test
    void manyWatchersOfOnePathAllFire() throws Exception {
        zk.create("/shared", null);
        List<OneShotWatch> watches = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            watches.add(zk.getDataAndWatch("/shared").watch());
        }
        other.setData("/shared", bytes("go"));
        for (OneShotWatch w : watches) {
            assertThat(w.await(WAIT)).isPresent();
        }
    }

    @Test
    void aCancelledWatchCompletesAsRemovedAndIgnoresLaterEventsWhileOthersStillFire() throws Exception {
        zk.create("/cancel", null);
        OneShotWatch cancelled = zk.getDataAndWatch("/cancel").watch();
        OneShotWatch kept = zk.getDataAndWatch("/cancel").watch();
        OneShotWatch children = zk.getChildrenAndWatch("/cancel").watch();
        assertThat(cancelled.cancel()).isTrue();
        assertThat(cancelled.cancel()).isFalse();
        assertThat(cancelled.await(WAIT).orElseThrow().type()).isEqualTo(EventType.DATA_WATCH_REMOVED);
        assertThat(children.cancel()).isTrue();
        assertThat(children.poll().orElseThrow().type()).isEqualTo(EventType.CHILD_WATCH_REMOVED);

        other.setData("/cancel", bytes("x"));
        assertThat(kept.await(WAIT).orElseThrow().type()).isEqualTo(EventType.NODE_DATA_CHANGED);
        assertThat(cancelled.poll().orElseThrow().type()).isEqualTo(EventType.DATA_WATCH_REMOVED);
        assertThat(kept.cancel()).as("already fired").isFalse();
    }

    @Test
    void aWatchOnAMissingNodeIsNotLeftBehind() {
        assertThatThrownBy(() -> zk.getDataAndWatch("/nope")).isInstanceOf(ZkException.NoNode.class);
        assertThatThrownBy(() -> zk.getChildrenAndWatch("/nope")).isInstanceOf(ZkException.NoNode.class);
    }

    @Test
    void persistentRecursiveWatchSeesTheWholeSubtreeInOrder() throws Exception {
        zk.create("/tree", null);
        try (PersistentWatch watch = zk.addWatch("/tree", AddWatchMode.PERSISTENT_RECURSIVE)) {
            other.create("/tree/a", null);
            other.create("/tree/a/b", bytes("1"));
            other.setData("/tree/a/b", bytes("2"));
            other.delete("/tree/a/b");
            other.setData("/tree", bytes("root"));
            other.create("/elsewhere", null);

            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                WatchedEvent e = watch.poll(WAIT).orElseThrow();
                seen.add(e.type() + " " + e.path());
            }
            assertThat(seen)
                    .containsExactly(
                            "NODE_CREATED /tree/a",
                            "NODE_CREATED /tree/a/b",
                            "NODE_DATA_CHANGED /tree/a/b",
                            "NODE_DELETED /tree/a/b",
                            "NODE_DATA_CHANGED /tree");
            assertThat(watch.poll(Duration.ofMillis(200))).isEmpty();
        }
    }

    @Test
    void persistentWatchSeesChildrenChangesOfItsNodeOnlyAndKeepsFiring() throws Exception {
        zk.create("/p", null);
        PersistentWatch watch = zk.addWatch("/p", AddWatchMode.PERSISTENT);
        other.create("/p/c1", null);
        other.create("/p/c1/grandchild", null);
        other.setData("/p", bytes("x"));
        other.setData("/p", bytes("y"));
        assertThat(watch.next().type()).isEqualTo(EventType.NODE_CHILDREN_CHANGED);
        assertThat(watch.next().type()).isEqualTo(EventType.NODE_DATA_CHANGED);
        assertThat(watch.next().type()).isEqualTo(EventType.NODE_DATA_CHANGED);
        watch.close();
        assertThat(watch.poll(Duration.ofMillis(100))).isEmpty();
        assertThatThrownBy(watch::next).isInstanceOf(NoSuchElementException.class);
        assertThat(watch.iterator().hasNext()).isFalse();
    }

    @Test
    void closingAPersistentWatchRemovesItOnTheServer() throws Exception {
        zk.create("/gone", null);
        PersistentWatch watch = zk.addWatch("/gone", AddWatchMode.PERSISTENT);
        watch.close();
        watch.close(); // idempotent
        // the server no longer has it: removing it again says so
        assertThatThrownBy(() -> zk.removeWatches("/gone", WatcherType.PERSISTENT))
                .isInstanceOfSatisfying(
                        ZkException.class, e -> assertThat(e.rawCode()).isEqualTo(-121));
    }

    @Test
    void iteratingAPersistentWatch() throws Exception {
        zk.create("/it", null);
        PersistentWatch watch = zk.addWatch("/it", AddWatchMode.PERSISTENT_RECURSIVE);
        AtomicReference<List<String>> got = new AtomicReference<>(new ArrayList<>());
        Thread consumer = Thread.ofVirtual().start(() -> {
            for (WatchedEvent e : watch) {
                got.get().add(e.path());
                if (got.get().size() == 3) {
                    watch.close();
                }
            }
        });
        for (int i = 0; i < 3; i++) {
            other.create("/it/n" + i, null);
        }
        consumer.join(WAIT);
        assertThat(consumer.isAlive()).isFalse();
        assertThat(got.get()).containsExactly("/it/n0", "/it/n1", "/it/n2");
    }

    @Test
    void aConsumerThatNeverReadsStallsNothingAndOverflowsAlone() throws Exception {
        try (ZkClient small =
                ZkClient.builder(server.connectString()).watchBufferCapacity(10).build()) {
            String base = "/w-" + UUID.randomUUID();
            small.create(base, null);
            PersistentWatch neverRead = small.addWatch(base, AddWatchMode.PERSISTENT_RECURSIVE);
            OneShotWatch oneShot = small.existsAndWatch(base + "/last").watch();
            for (int i = 0; i < 50; i++) {
                small.create(base + "/n" + i, null); // replies keep flowing although nobody reads
            }
            small.create(base + "/last", null);
            assertThat(oneShot.await(WAIT)).isPresent(); // other watches still fire
            assertThat(neverRead.buffered()).isEqualTo(10);
            for (int i = 0; i < 10; i++) {
                assertThat(neverRead.next().path()).isEqualTo(base + "/n" + i);
            }
            assertThatThrownBy(neverRead::next).isInstanceOf(ZkException.WatchOverflow.class);
        }
    }

    @Test
    void removeWatchesDeliversARemovalEventToOneShotWatches() throws Exception {
        zk.create("/rm", null);
        OneShotWatch data = zk.getDataAndWatch("/rm").watch();
        OneShotWatch children = zk.getChildrenAndWatch("/rm").watch();
        zk.removeWatches("/rm", WatcherType.DATA);
        assertThat(data.await(WAIT).orElseThrow().type()).isEqualTo(EventType.DATA_WATCH_REMOVED);
        assertThat(children.isDone()).isFalse();
        zk.removeWatches("/rm", WatcherType.ANY);
        assertThat(children.await(WAIT).orElseThrow().type()).isEqualTo(EventType.CHILD_WATCH_REMOVED);
        assertThatThrownBy(() -> zk.removeWatches("/rm", WatcherType.DATA))
                .isInstanceOfSatisfying(
                        ZkException.class, e -> assertThat(e.rawCode()).isEqualTo(-121));
    }

    @Test
    void watchesEndWithClosedWhenTheClientCloses() throws Exception {
        zk.create("/c", null);
        OneShotWatch watch = zk.getDataAndWatch("/c").watch();
        PersistentWatch persistent = zk.addWatch("/c", AddWatchMode.PERSISTENT);
        zk.close();
        assertThatThrownBy(watch::await).isInstanceOf(ZkException.Closed.class);
        assertThatThrownBy(persistent::next).isInstanceOf(ZkException.Closed.class);
    }

    @Test
    void sessionStateIsItsOwnChannel() throws Exception {
        List<SessionState> states = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ZkClient c = ZkClient.builder(server.connectString())
                .stateListener(states::add)
                .build()) {
            assertThat(c.state()).isEqualTo(SessionState.CONNECTED);
            assertThat(c.awaitState(Duration.ofSeconds(1), SessionState.CONNECTED))
                    .isEqualTo(SessionState.CONNECTED);
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (states.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(states).containsExactly(SessionState.CONNECTED, SessionState.CLOSED);
    }
}
