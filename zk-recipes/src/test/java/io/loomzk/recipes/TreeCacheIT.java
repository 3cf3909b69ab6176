package io.loomzk.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.Op;
import io.loomzk.client.SessionState;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.testing.Sessions;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkProxy;
import io.loomzk.testing.ZkServer;
import io.loomzk.testing.ZkTest;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link TreeCache} against a real 3.9 server: loads, events, faults, expiry, close. */
@ZkTest
@Timeout(180)
class TreeCacheIT {
    private static final Duration CONVERGE = Duration.ofSeconds(60);

    private ZkServer server;
    private String direct;

    @BeforeEach
    void setUp(ZkServer server, @ZkConnectString String direct) {
        this.server = server;
        this.direct = direct;
    }

    @Test
    void loadsTenThousandNodesExactlyAndReportsLaterChanges() throws Exception {
        try (ZkClient writer = ZkClient.builder(direct).build();
                ZkClient zk = ZkClient.builder(direct).build()) {
            CacheTrees.create(writer, "/t", 100, 100, 100);
            try (TreeCache<byte[]> cache = TreeCache.builder(zk, "/t").build()) {
                cache.start();
                assertThat(cache.awaitInitialized(Duration.ofSeconds(60))).isTrue();
                assertThat(cache.size()).isEqualTo(10_101);
                assertThat(CacheTrees.differences(writer.readTree("/t"), cache.snapshot()))
                        .isEmpty();
                assertThat(cache.children("/t")).hasSize(100).contains("g0", "g99");
                assertThat(cache.children("/t/g7")).hasSize(100).contains("n0", "n99");
                assertThat(cache.next().type()).isEqualTo(CacheEvent.Type.INITIALIZED);

                writer.setData("/t/g1/n1", "v2".getBytes(UTF_8));
                CacheEvent<byte[]> changed = cache.next();
                assertThat(changed.type()).isEqualTo(CacheEvent.Type.CHANGED);
                assertThat(changed.path()).isEqualTo("/t/g1/n1");
                assertThat(changed.oldNode().value()).isEqualTo(CacheTrees.bytes(100, 1));
                assertThat(changed.newNode().value()).isEqualTo("v2".getBytes(UTF_8));
                assertThat(changed.zxid()).isEqualTo(changed.newNode().stat().mzxid());

                writer.create("/t/g1/new", "n".getBytes(UTF_8));
                CacheEvent<byte[]> created = cache.next();
                assertThat(created.type()).isEqualTo(CacheEvent.Type.CREATED);
                assertThat(created.path()).isEqualTo("/t/g1/new");
                assertThat(cache.get("/t/g1/new").orElseThrow().value()).isEqualTo("n".getBytes(UTF_8));

                writer.delete("/t/g1/new");
                CacheEvent<byte[]> deleted = cache.next();
                assertThat(deleted.type()).isEqualTo(CacheEvent.Type.DELETED);
                assertThat(deleted.oldNode().value()).isEqualTo("n".getBytes(UTF_8));
                assertThat(cache.get("/t/g1/new")).isEmpty();
                assertThat(cache.poll(Duration.ofMillis(200))).isEmpty();
            }
        }
    }

    @Test
    void aChangeStormDuringProxyCutsEndsInTheServersExactTree(ZkProxy proxy) throws Exception {
        try (ZkClient writer = ZkClient.builder(direct).build();
                ZkClient zk = ZkClient.builder(proxy.connectString()).build()) {
            CacheTrees.create(writer, "/s", 20, 50, 20);
            try (TreeCache<byte[]> cache = TreeCache.builder(zk, "/s")
                            .backlog(1_000_000, 1L << 30)
                            .build();
                    CacheTrees.Replica replica = new CacheTrees.Replica(cache)) {
                cache.start();
                assertThat(cache.awaitInitialized(Duration.ofSeconds(60))).isTrue();
                assertThat(replica.ready.await(10, java.util.concurrent.TimeUnit.SECONDS))
                        .isTrue();
                Random random = new Random(17);
                int cuts = 0;
                for (int op = 0; op < 3_000; op++) {
                    if (op % 600 == 300) {
                        proxy.refuseNewConnections();
                        proxy.cutAll();
                        cuts++;
                    } else if (op % 600 == 450) {
                        proxy.resume();
                    }
                    storm(writer, random);
                }
                proxy.resume();
                assertThat(cuts).isEqualTo(5);
                CacheTrees.awaitConverged(cache, writer, "/s", CONVERGE);
                replica.awaitSameAs(cache, CONVERGE);
                assertThat(replica.errors).isEmpty();
                assertThat(replica.overflowed()).isFalse();
            }
        }
    }

    /** One random change: set, create, delete a leaf, or delete and re-create in one transaction. */
    private static void storm(ZkClient writer, Random random) {
        String group = "/s/g" + random.nextInt(20);
        String node = group + "/n" + random.nextInt(80);
        byte[] data = CacheTrees.bytes(1 + random.nextInt(40), random.nextInt(100));
        try {
            switch (random.nextInt(4)) {
                case 0 -> writer.setData(node, data);
                case 1 -> writer.create(node, data);
                case 2 -> writer.delete(node);
                default -> writer.multi(Op.delete(node, -1), Op.create(node, data, CreateOptions.persistent()));
            }
        } catch (ZkException.NoNode | ZkException.NodeExists | ZkException.MultiFailed e) {
            // the random pick did not fit the tree: fine
        }
    }

    @Test
    void aNodeDeletedAndRecreatedBetweenTwoReadsIsReportedAsDeletedThenCreated(ZkProxy proxy) throws Exception {
        try (ZkClient writer = ZkClient.builder(direct).build();
                ZkClient zk = ZkClient.builder(proxy.connectString()).build()) {
            writer.createWithParents("/r/a", "one".getBytes(UTF_8), CreateOptions.persistent());
            try (TreeCache<byte[]> cache = TreeCache.builder(zk, "/r").build()) {
                cache.start();
                assertThat(cache.awaitInitialized(Duration.ofSeconds(30))).isTrue();
                assertThat(cache.next().type()).isEqualTo(CacheEvent.Type.INITIALIZED);
                long firstCzxid = cache.get("/r/a").orElseThrow().stat().czxid();

                // in one transaction: both watch events name the same path, one read sees the new node
                writer.multi(
                        Op.delete("/r/a", -1), Op.create("/r/a", "two".getBytes(UTF_8), CreateOptions.persistent()));
                assertDeletedThenCreated(cache, firstCzxid, "two");

                // while disconnected: only the resync after the reconnect can tell
                long secondCzxid = cache.get("/r/a").orElseThrow().stat().czxid();
                proxy.refuseNewConnections();
                proxy.cutAll();
                assertThat(zk.awaitState(Duration.ofSeconds(10), SessionState.SUSPENDED))
                        .isEqualTo(SessionState.SUSPENDED);
                writer.delete("/r/a");
                writer.create("/r/a", "three".getBytes(UTF_8));
                proxy.resume();
                assertDeletedThenCreated(cache, secondCzxid, "three");
                assertThat(cache.poll(Duration.ofMillis(300))).isEmpty();
            }
        }
    }

    private static void assertDeletedThenCreated(TreeCache<byte[]> cache, long oldCzxid, String newValue)
            throws InterruptedException {
        CacheEvent<byte[]> deleted = cache.poll(Duration.ofSeconds(30)).orElseThrow();
        assertThat(deleted.type()).isEqualTo(CacheEvent.Type.DELETED);
        assertThat(deleted.oldNode().stat().czxid()).isEqualTo(oldCzxid);
        CacheEvent<byte[]> created = cache.poll(Duration.ofSeconds(30)).orElseThrow();
        assertThat(created.type()).isEqualTo(CacheEvent.Type.CREATED);
        assertThat(created.newNode().value()).isEqualTo(newValue.getBytes(UTF_8));
        assertThat(created.zxid()).isGreaterThan(oldCzxid);
    }

    @Test
    void afterExpiryTheCacheRebuildsOnANewSessionWhenAsked() throws Exception {
        try (ZkClient writer = ZkClient.builder(direct).build();
                ZkClient zk = ZkClient.builder(direct).build()) {
            CacheTrees.create(writer, "/e", 10, 20, 10);
            try (TreeCache<byte[]> cache =
                            TreeCache.builder(zk, "/e").rebuildOnExpiry(true).build();
                    CacheTrees.Replica replica = new CacheTrees.Replica(cache)) {
                cache.start();
                assertThat(replica.ready.await(30, java.util.concurrent.TimeUnit.SECONDS))
                        .isTrue();
                long oldSession = zk.sessionId();
                Sessions.expire(server.connectString(), zk.sessionId(), zk.sessionPassword());
                writer.setData("/e/g1/n1", "after".getBytes(UTF_8));
                writer.create("/e/g1/late", null);
                writer.delete("/e/g2/n2");
                assertThat(zk.awaitState(Duration.ofSeconds(30), SessionState.CONNECTED))
                        .isEqualTo(SessionState.CONNECTED);
                CacheTrees.awaitConverged(cache, writer, "/e", CONVERGE);
                assertThat(zk.sessionId()).isNotEqualTo(oldSession);
                replica.awaitSameAs(cache, CONVERGE);
                assertThat(replica.errors).isEmpty();

                // and it keeps watching on the new session
                writer.setData("/e/g3/n3", "later".getBytes(UTF_8));
                CacheTrees.awaitConverged(cache, writer, "/e", CONVERGE);
            }
        }
    }

    @Test
    void afterExpiryWithoutRebuildTheStreamEndsWithTheExpiry() throws Exception {
        try (ZkClient writer = ZkClient.builder(direct).build();
                ZkClient zk = ZkClient.builder(direct).build()) {
            writer.createWithParents("/x/a", null, CreateOptions.persistent());
            try (TreeCache<byte[]> cache = TreeCache.builder(zk, "/x").build()) {
                cache.start();
                assertThat(cache.awaitInitialized(Duration.ofSeconds(30))).isTrue();
                assertThat(cache.next().type()).isEqualTo(CacheEvent.Type.INITIALIZED);
                Sessions.expire(server.connectString(), zk.sessionId(), zk.sessionPassword());
                assertThatThrownBy(() -> cache.poll(Duration.ofSeconds(30)))
                        .isInstanceOf(ZkException.SessionExpired.class);
                assertThat(zk.state()).isEqualTo(SessionState.EXPIRED);
                assertThat(cache.get("/x/a")).isPresent(); // the last state stays readable
            }
        }
    }

    @Test
    void aConsumerThatNeverReadsStallsNothingAndGetsAnOverflowWithTheTree() throws Exception {
        try (ZkClient writer = ZkClient.builder(direct).build();
                ZkClient zk = ZkClient.builder(direct).build()) {
            writer.createWithParents("/o/a", null, CreateOptions.persistent());
            try (TreeCache<byte[]> cache =
                    TreeCache.builder(zk, "/o").backlog(100, 64 * 1024).build()) {
                cache.start();
                assertThat(cache.awaitInitialized(Duration.ofSeconds(30))).isTrue();
                for (int i = 0; i < 1_000; i++) {
                    writer.setData("/o/a", ("v" + i).getBytes(UTF_8));
                }
                long deadline = System.nanoTime() + CONVERGE.toNanos();
                while (!java.util.Arrays.equals(cache.get("/o/a").orElseThrow().value(), "v999".getBytes(UTF_8))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(cache.get("/o/a").orElseThrow().value()).isEqualTo("v999".getBytes(UTF_8));
                assertThat(cache.backlog()).isLessThanOrEqualTo(100);
                assertThat(cache.backlogBytes()).isLessThanOrEqualTo(64 * 1024);

                CacheEvent<byte[]> first = cache.next();
                assertThat(first.type()).isEqualTo(CacheEvent.Type.OVERFLOW);
                assertThat(first.snapshot().get("/o/a").value()).isEqualTo("v999".getBytes(UTF_8));
                writer.setData("/o/a", "after".getBytes(UTF_8));
                CacheEvent<byte[]> next = cache.poll(Duration.ofSeconds(30)).orElseThrow();
                assertThat(next.type()).isEqualTo(CacheEvent.Type.CHANGED);
                assertThat(next.oldNode().value()).isEqualTo("v999".getBytes(UTF_8));
                assertThat(next.newNode().value()).isEqualTo("after".getBytes(UTF_8));
            }
        }
    }

    @Test
    void aBatchedReplyPastTheClientsFrameLimitCostsOneReconnectAndTheLoadIsStillExact() throws Exception {
        try (ZkClient writer = ZkClient.builder(direct).build();
                ZkClient zk = ZkClient.builder(direct).maxFrameBytes(64 * 1024).build()) {
            // 64 nodes of 2,000 B answer one batched read with ~130 KB: past this client's 64 KiB (skipped)
            CacheTrees.create(writer, "/big", 2, 100, 2_000);
            try (TreeCache<byte[]> cache = TreeCache.builder(zk, "/big").build()) {
                cache.start();
                assertThat(cache.awaitInitialized(Duration.ofSeconds(60))).isTrue();
                assertThat(CacheTrees.differences(writer.readTree("/big"), cache.snapshot()))
                        .isEmpty();
                writer.setData("/big/g1/n1", "small".getBytes(UTF_8));
                CacheTrees.awaitConverged(cache, writer, "/big", CONVERGE);
            }
        }
    }

    @Test
    void anOverflowOfTheClientsWatchBufferMakesTheCacheWatchAgainAndResync() throws Exception {
        try (ZkClient writer = ZkClient.builder(direct).build();
                ZkClient zk = ZkClient.builder(direct).watchBufferCapacity(4).build()) {
            CacheTrees.create(writer, "/ov", 10, 20, 10);
            try (TreeCache<byte[]> cache = TreeCache.builder(zk, "/ov")
                            .backlog(1_000_000, 1L << 30)
                            .build();
                    CacheTrees.Replica replica = new CacheTrees.Replica(cache)) {
                cache.start();
                assertThat(replica.ready.await(30, java.util.concurrent.TimeUnit.SECONDS))
                        .isTrue();
                // many writers at once: events arrive faster than one re-read each
                try (var writers = java.util.concurrent.Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("ov-writer-", 0).factory())) {
                    for (int w = 0; w < 10; w++) {
                        int group = w;
                        writers.execute(() -> {
                            for (int i = 0; i < 200; i++) {
                                writer.setData("/ov/g" + group + "/n" + (i % 20), CacheTrees.bytes(10, i));
                            }
                        });
                    }
                }
                CacheTrees.awaitConverged(cache, writer, "/ov", CONVERGE);
                replica.awaitSameAs(cache, CONVERGE);
                assertThat(replica.errors).isEmpty();
                // still watching after the re-watch
                writer.create("/ov/after", null);
                CacheTrees.awaitConverged(cache, writer, "/ov", CONVERGE);
            }
        }
    }

    @Test
    void optionsLimitDepthFilterPathsKeepStatsOrDecode() throws Exception {
        try (ZkClient writer = ZkClient.builder(direct).build();
                ZkClient zk = ZkClient.builder(direct).build()) {
            writer.createWithParents("/p/keep/deep/deeper", "d".getBytes(UTF_8), CreateOptions.persistent());
            writer.createWithParents("/p/skip/x", "s".getBytes(UTF_8), CreateOptions.persistent());
            writer.setData("/p/keep", "42".getBytes(UTF_8));
            writer.setData("/p/keep/deep", "d".getBytes(UTF_8));
            try (TreeCache<Integer> decoded = TreeCache.builder(zk, "/p")
                            .maxDepth(2)
                            .filter(path -> !path.startsWith("/p/skip"))
                            .decoder(bytes -> bytes.length == 0 ? 0 : Integer.parseInt(new String(bytes, UTF_8)))
                            .build();
                    TreeCache<byte[]> stats =
                            TreeCache.builder(zk, "/p").statOnly().build()) {
                decoded.start();
                stats.start();
                assertThat(decoded.awaitInitialized(Duration.ofSeconds(30))).isTrue();
                assertThat(stats.awaitInitialized(Duration.ofSeconds(30))).isTrue();
                assertThat(decoded.snapshot().keySet()).containsExactly("/p", "/p/keep", "/p/keep/deep");
                assertThat(decoded.get("/p/keep").orElseThrow().value()).isEqualTo(42);
                // "d" does not parse: cached with a null value
                assertThat(decoded.get("/p/keep/deep").orElseThrow().value()).isNull();
                assertThat(stats.snapshot()).hasSize(6);
                assertThat(stats.get("/p/keep").orElseThrow().value()).isNull();
                assertThat(stats.get("/p/keep").orElseThrow().stat().dataLength())
                        .isEqualTo(2);

                writer.create("/p/keep/deep/deeper/deepest", null);
                writer.create("/p/skip/y", null);
                writer.create("/p/other", "7".getBytes(UTF_8));
                long deadline = System.nanoTime() + CONVERGE.toNanos();
                while (decoded.get("/p/other").isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(decoded.get("/p/other").orElseThrow().value()).isEqualTo(7);
                assertThat(decoded.snapshot().keySet()).containsExactly("/p", "/p/keep", "/p/keep/deep", "/p/other");
            }
        }
    }

    @Test
    void closeRemovesTheServersWatch() throws Exception {
        try (ZkClient writer = ZkClient.builder(direct).build();
                ZkClient zk = ZkClient.builder(direct).build()) {
            writer.createWithParents("/w/a", null, CreateOptions.persistent());
            TreeCache<byte[]> cache = TreeCache.builder(zk, "/w").build();
            cache.start();
            assertThat(cache.awaitInitialized(Duration.ofSeconds(30))).isTrue();
            String chroot = direct.substring(direct.indexOf('/'));
            assertThat(watchesOf(zk.sessionId())).contains(chroot + "/w");
            cache.close();
            assertThat(watchesOf(zk.sessionId())).doesNotContain(chroot + "/w");
            assertThat(cache.next().type()).isEqualTo(CacheEvent.Type.INITIALIZED); // buffered before close
            assertThatThrownBy(cache::next).isInstanceOf(java.util.NoSuchElementException.class);
            assertThat(zk.state()).isEqualTo(SessionState.CONNECTED);
        }
    }

    /** What {@code wchc} lists for one session (empty when it holds no watch). */
    private String watchesOf(long sessionId) throws Exception {
        String reply;
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write("wchc".getBytes(UTF_8));
            reply = new String(s.getInputStream().readAllBytes(), UTF_8);
        }
        String header = "0x" + Long.toHexString(sessionId);
        int at = reply.indexOf(header);
        if (at < 0) {
            return "";
        }
        int next = reply.indexOf("\n0x", at + header.length());
        return reply.substring(at, next < 0 ? reply.length() : next);
    }

    @Test
    void nodeAndChildrenWatchersDeliverTheLatestValueAcrossACut(ZkProxy proxy) throws Exception {
        try (ZkClient writer = ZkClient.builder(direct).build();
                ZkClient zk = ZkClient.builder(proxy.connectString()).build()) {
            writer.create("/nw", "0".getBytes(UTF_8));
            warmUp(zk);
            List<String> values = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<List<String>> lists = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (NodeWatcher nodes = NodeWatcher.start(zk, "/nw", d -> {
                        values.add(d.map(x -> new String(x.data(), UTF_8)).orElse("<none>"));
                        return true;
                    });
                    ChildrenWatcher children = ChildrenWatcher.start(zk, "/nw", names -> {
                        lists.add(names);
                        return true;
                    })) {
                awaitLast(values, "0");
                awaitLast(lists, List.of());
                for (int i = 1; i <= 50; i++) {
                    writer.setData("/nw", String.valueOf(i).getBytes(UTF_8));
                }
                writer.create("/nw/a", null);
                awaitLast(values, "50");
                awaitLast(lists, List.of("a"));

                proxy.refuseNewConnections();
                proxy.cutAll();
                writer.setData("/nw", "cut".getBytes(UTF_8));
                writer.create("/nw/b", null);
                proxy.resume();
                awaitLast(values, "cut");
                awaitLast(lists, List.of("a", "b"));

                writer.delete("/nw/a");
                writer.delete("/nw/b");
                writer.delete("/nw");
                awaitLast(values, "<none>");
                awaitLast(lists, List.of());
                writer.create("/nw", "back".getBytes(UTF_8));
                awaitLast(values, "back");
                assertThat(nodes.isRunning()).isTrue();
                assertThat(children.isRunning()).isTrue();
                // never the same value twice in a row
                for (int i = 1; i < values.size(); i++) {
                    assertThat(values.get(i)).isNotEqualTo(values.get(i - 1));
                }
            }
        }
    }

    @Test
    void watchersCarryOnOnTheClientsNextSessionAfterAnExpiry() throws Exception {
        try (ZkClient writer = ZkClient.builder(direct).build();
                ZkClient zk = ZkClient.builder(direct).build()) {
            warmUp(zk);
            writer.create("/ex", "a".getBytes(UTF_8));
            List<String> values = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<List<String>> lists = new java.util.concurrent.CopyOnWriteArrayList<>();
            try (NodeWatcher nodes = NodeWatcher.start(zk, "/ex", d -> {
                        values.add(d.map(x -> new String(x.data(), UTF_8)).orElse("<none>"));
                        return true;
                    });
                    ChildrenWatcher children = ChildrenWatcher.start(zk, "/ex", names -> {
                        lists.add(names);
                        return true;
                    })) {
                awaitLast(values, "a");
                awaitLast(lists, List.of());
                Sessions.expire(server.connectString(), zk.sessionId(), zk.sessionPassword());
                assertThat(zk.awaitState(Duration.ofSeconds(30), SessionState.EXPIRED))
                        .isEqualTo(SessionState.EXPIRED);
                writer.setData("/ex", "while expired".getBytes(UTF_8));
                writer.create("/ex/c", null);
                zk.startNewSession();
                awaitLast(values, "while expired");
                awaitLast(lists, List.of("c"));
                writer.setData("/ex", "after".getBytes(UTF_8));
                awaitLast(values, "after");
                assertThat(nodes.isRunning()).isTrue();
                assertThat(children.isRunning()).isTrue();
            }
        }
    }

    @Test
    void aWatcherStopsWhenItsFunctionReturnsFalse() throws Exception {
        try (ZkClient zk = ZkClient.builder(direct).build()) {
            warmUp(zk);
            zk.create("/stop", "a".getBytes(UTF_8));
            List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            NodeWatcher watcher = NodeWatcher.start(zk, "/stop", d -> {
                String v = new String(d.orElseThrow().data(), UTF_8);
                seen.add(v);
                return !v.equals("b");
            });
            awaitLast(seen, "a");
            zk.setData("/stop", "b".getBytes(UTF_8));
            assertThat(watcher.awaitStopped(Duration.ofSeconds(30))).isTrue();
            zk.setData("/stop", "c".getBytes(UTF_8));
            assertThat(zk.getData("/stop").data()).isEqualTo("c".getBytes(UTF_8));
            assertThat(seen).containsExactly("a", "b");
            assertThat(watcher.isRunning()).isFalse();
            watcher.close();
        }
    }

    /**
     * Loads the client's watch classes on this (platform) thread: first-time class loading on a
     * virtual thread shows as a short pin.
     */
    static void warmUp(ZkClient zk) {
        zk.existsAndWatch("/warm-up").watch().cancel();
        zk.create("/warm-up", null);
        zk.getDataAndWatch("/warm-up").watch().cancel();
        zk.getChildrenAndWatch("/warm-up").watch().cancel();
        zk.delete("/warm-up");
    }

    static <T> void awaitLast(List<T> values, T expected) throws InterruptedException {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while ((values.isEmpty() || !values.get(values.size() - 1).equals(expected)) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(values).as("values delivered").isNotEmpty().last().isEqualTo(expected);
    }
}
