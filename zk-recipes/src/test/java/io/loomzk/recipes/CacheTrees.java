package io.loomzk.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.NodeData;
import io.loomzk.client.Op;
import io.loomzk.client.ZkClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Test helpers for caches: building trees, comparing a cache with the server, a replica of events. */
final class CacheTrees {
    private CacheTrees() {}

    /** Creates {@code root} and {@code groups} x {@code perGroup} nodes of {@code size} bytes below it. */
    static void create(ZkClient zk, String root, int groups, int perGroup, int size) {
        zk.createWithParents(root, new byte[size], CreateOptions.persistent());
        List<Op> batch = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            String group = root + "/g" + g;
            batch.add(Op.create(group, bytes(size, g), CreateOptions.persistent()));
            for (int n = 0; n < perGroup; n++) {
                batch.add(Op.create(group + "/n" + n, bytes(size, n), CreateOptions.persistent()));
                if (batch.size() >= 200) {
                    zk.multi(batch);
                    batch = new ArrayList<>();
                }
            }
        }
        if (!batch.isEmpty()) {
            zk.multi(batch);
        }
    }

    static byte[] bytes(int size, int seed) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) seed);
        return b;
    }

    /** The differences between the server's tree and a cache's snapshot (data, czxid, mzxid). */
    static List<String> differences(Map<String, NodeData> server, Map<String, CachedNode<byte[]>> cached) {
        List<String> diffs = new ArrayList<>();
        TreeSet<String> all = new TreeSet<>(server.keySet());
        all.addAll(cached.keySet());
        for (String path : all) {
            NodeData s = server.get(path);
            CachedNode<byte[]> c = cached.get(path);
            if (s == null) {
                diffs.add("only cached: " + path);
            } else if (c == null) {
                diffs.add("not cached: " + path);
            } else if (s.stat().czxid() != c.stat().czxid()
                    || s.stat().mzxid() != c.stat().mzxid()
                    || !Arrays.equals(s.data(), c.value())) {
                diffs.add("differs: " + path + " server mzxid " + s.stat().mzxid() + ", cached "
                        + c.stat().mzxid());
            }
            if (diffs.size() > 20) {
                break;
            }
        }
        return diffs;
    }

    /** Waits (bounded) until the cache shows exactly the server's tree, node by node. */
    static void awaitConverged(TreeCache<byte[]> cache, ZkClient reader, String root, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> diffs;
        do {
            diffs = differences(reader.readTree(root), cache.snapshot());
            if (diffs.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        assertThat(diffs).as("cache vs server after %s", timeout).isEmpty();
    }

    /**
     * Applies a cache's events to a map of its own on its own thread, checking each against what
     * it holds: a create of a node it has, a change whose old state is not the one it holds, a
     * delete of a node it lacks, or a zxid going backwards for one path are errors.
     */
    static final class Replica implements AutoCloseable {
        final Map<String, CachedNode<byte[]>> nodes = new java.util.concurrent.ConcurrentHashMap<>();
        final List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CountDownLatch ready = new CountDownLatch(1);
        private final Map<String, Long> lastZxid = new HashMap<>();
        private final TreeCache<byte[]> cache;
        private final Thread thread;
        private volatile boolean overflowed;
        private volatile RuntimeException ended;
        private int applied;

        Replica(TreeCache<byte[]> cache) {
            this.cache = cache;
            this.thread = Thread.ofVirtual().name("replica").start(this::run);
        }

        private void run() {
            try {
                for (; ; ) {
                    CacheEvent<byte[]> e = cache.next();
                    apply(e);
                }
            } catch (InterruptedException e) {
                // closed
            } catch (java.util.NoSuchElementException e) {
                // cache closed
            } catch (RuntimeException e) {
                ended = e;
            }
        }

        private void apply(CacheEvent<byte[]> e) {
            String p = e.path();
            switch (e.type()) {
                case INITIALIZED -> {
                    nodes.putAll(cache.snapshot());
                    ready.countDown();
                }
                case OVERFLOW -> {
                    overflowed = true;
                    nodes.clear();
                    nodes.putAll(e.snapshot());
                }
                case CREATED -> {
                    if (nodes.containsKey(p)) {
                        errors.add("created twice: " + p);
                    }
                    order(p, e.zxid());
                    nodes.put(p, e.newNode());
                }
                case CHANGED -> {
                    CachedNode<byte[]> held = nodes.get(p);
                    if (held == null
                            || held.stat().mzxid() != e.oldNode().stat().mzxid()) {
                        errors.add("change from a state not held: " + p);
                    }
                    if (e.newNode().stat().mzxid() <= e.oldNode().stat().mzxid()) {
                        errors.add("change not newer: " + p);
                    }
                    order(p, e.zxid());
                    nodes.put(p, e.newNode());
                }
                case DELETED -> {
                    CachedNode<byte[]> held = nodes.remove(p);
                    if (held == null
                            || held.stat().czxid() != e.oldNode().stat().czxid()) {
                        errors.add("delete of a node not held: " + p);
                    }
                }
            }
            applied++;
        }

        private void order(String path, long zxid) {
            Long last = lastZxid.put(path, zxid);
            if (last != null && last >= zxid) {
                errors.add("zxid order broken at " + path + ": " + last + " then " + zxid);
            }
        }

        /** Waits (bounded) until the replica holds exactly what the cache holds. */
        void awaitSameAs(TreeCache<byte[]> c, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<String> diffs;
            do {
                Map<String, CachedNode<byte[]>> snap = c.snapshot();
                diffs = new ArrayList<>();
                Map<String, CachedNode<byte[]>> mine = new HashMap<>(nodes);
                TreeSet<String> all = new TreeSet<>(snap.keySet());
                all.addAll(mine.keySet());
                for (String p : all) {
                    CachedNode<byte[]> a = snap.get(p);
                    CachedNode<byte[]> b = mine.get(p);
                    if (a == null || b == null || a.stat().mzxid() != b.stat().mzxid()) {
                        diffs.add(p);
                    }
                }
                if (diffs.isEmpty() && c.backlog() == 0) {
                    return;
                }
                Thread.sleep(50);
            } while (System.nanoTime() < deadline);
            assertThat(diffs).as("replica vs cache").isEmpty();
        }

        boolean overflowed() {
            return overflowed;
        }

        RuntimeException ended() {
            return ended;
        }

        boolean awaitEnd(Duration timeout) throws InterruptedException {
            return thread.join(timeout);
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
    }
}
