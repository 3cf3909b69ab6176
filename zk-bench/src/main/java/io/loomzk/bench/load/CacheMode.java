package io.loomzk.bench.load;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.Op;
import io.loomzk.client.ZkClient;
import io.loomzk.recipes.CacheEvent;
import io.loomzk.recipes.TreeCache;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.retry.RetryNTimes;

/**
 * The {@code cache} workload: LoomZK's {@link TreeCache} beside Curator's {@code CuratorCache}
 * in the same run, against the same server and the same trees. For each tree size it measures
 * the initial load (from {@code start()} to initialized) and the heap the loaded cache holds per
 * node (used heap after full collections, with the connected client before the cache as the
 * baseline); then the propagation time from a {@code setData} by another client to the change
 * reaching the cache's listener, at a fixed rate. Each figure is the median of {@code --rounds}
 * runs, the two caches alternating which goes first.
 */
final class CacheMode {
    static final List<Integer> TREE_SIZES = List.of(10_000, 100_000);
    static final int CHANGES_PER_SECOND = 1_000;
    static final Duration PROPAGATION_TIME = Duration.ofSeconds(5);
    private static final int GROUPS = 100;
    private static final Duration LOAD_TIMEOUT = Duration.ofMinutes(5);

    private CacheMode() {}

    /** One cache's figures for one tree size: medians over the runs. */
    record Row(String cache, int nodes, double loadMillis, double heapBytesPerNode, List<Double> loadRuns) {}

    /** Propagation times, in microseconds, of one cache. */
    record Propagation(
            String cache,
            int changes,
            int seen,
            double p50Micros,
            double p99Micros,
            double maxMicros,
            List<Double> p99Runs) {}

    record Result(int nodeBytes, int rounds, List<Row> rows, List<Propagation> propagation) {}

    private interface Cache extends AutoCloseable {
        @Override
        void close() throws Exception;
    }

    private interface Contender {
        String id();

        AutoCloseable connect(String connect, Duration sessionTimeout) throws Exception;

        /** Starts a cache of {@code root} and blocks until it is loaded. */
        Cache load(AutoCloseable client, String root, Listener onChange) throws Exception;
    }

    /** Called with a changed node's new data. */
    private interface Listener {
        void changed(byte[] data);
    }

    static Result run(LoadOptions o, String connect, Progress progress, PrintStream out) throws Exception {
        List<Contender> contenders = List.of(new Loomzk(), new Curator());
        String base = "/loomzk-bench-cache-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        List<Row> rows = new ArrayList<>();
        List<Propagation> propagation = new ArrayList<>();
        try (ZkClient setup = ZkClient.builder(connect).build()) {
            for (int n : TREE_SIZES) {
                String root = base + "-" + n;
                progress.show("cache: creating " + n + " nodes of " + o.size() + " B ...");
                createTree(setup, root, n, o.size());
                // warm both up once (JIT), unmeasured
                for (Contender c : contenders) {
                    measureLoad(c, connect, o.sessionTimeout(), root, n, false);
                }
                List<List<double[]>> runs = new ArrayList<>();
                for (int i = 0; i < contenders.size(); i++) {
                    runs.add(new ArrayList<>());
                }
                for (int r = 0; r < o.rounds(); r++) {
                    for (int k = 0; k < contenders.size(); k++) {
                        int i = (k + r) % contenders.size();
                        progress.show("cache: " + contenders.get(i).id() + " loads " + n + " nodes, run " + (r + 1)
                                + " of " + o.rounds());
                        runs.get(i).add(measureLoad(contenders.get(i), connect, o.sessionTimeout(), root, n, true));
                    }
                }
                for (int i = 0; i < contenders.size(); i++) {
                    List<double[]> rs = runs.get(i);
                    List<Double> loads = rs.stream().map(x -> x[0]).toList();
                    rows.add(new Row(
                            contenders.get(i).id(),
                            n,
                            median(loads),
                            median(rs.stream().map(x -> x[1]).toList()),
                            loads));
                }
                if (n == TREE_SIZES.get(0)) {
                    List<List<Propagation>> prop = new ArrayList<>();
                    for (int i = 0; i < contenders.size(); i++) {
                        prop.add(new ArrayList<>());
                    }
                    for (int r = 0; r < o.rounds(); r++) {
                        for (int k = 0; k < contenders.size(); k++) {
                            int i = (k + r) % contenders.size();
                            Contender c = contenders.get(i);
                            progress.show("cache: " + c.id() + " propagation at " + CHANGES_PER_SECOND
                                    + " changes/s, run " + (r + 1) + " of " + o.rounds());
                            prop.get(i)
                                    .add(measurePropagation(c, setup, connect, o.sessionTimeout(), root, n, o.size()));
                        }
                    }
                    for (List<Propagation> ps : prop) {
                        propagation.add(new Propagation(
                                ps.get(0).cache(),
                                ps.get(0).changes(),
                                (int) Math.round(median(
                                        ps.stream().map(x -> (double) x.seen()).toList())),
                                median(ps.stream().map(Propagation::p50Micros).toList()),
                                median(ps.stream().map(Propagation::p99Micros).toList()),
                                median(ps.stream().map(Propagation::maxMicros).toList()),
                                ps.stream().map(Propagation::p99Micros).toList()));
                    }
                }
                progress.show("cache: removing " + root + " ...");
                setup.deleteRecursive(root);
            }
        }
        Result result = new Result(o.size(), o.rounds(), rows, propagation);
        print(result, out);
        Files.writeString(o.out().resolve("cache.json"), json(result), StandardCharsets.UTF_8);
        return result;
    }

    private static void createTree(ZkClient zk, String root, int n, int size) {
        byte[] data = new byte[size];
        ThreadLocalRandom.current().nextBytes(data);
        zk.create(root, data, CreateOptions.persistent());
        int perGroup = Math.max(1, (n - 1 - GROUPS) / GROUPS);
        int created = 1;
        List<Op> batch = new ArrayList<>();
        for (int g = 0; g < GROUPS && created < n; g++) {
            String group = root + "/g" + g;
            batch.add(Op.create(group, data, CreateOptions.persistent()));
            created++;
            for (int i = 0; i < perGroup && created < n; i++) {
                batch.add(Op.create(group + "/n" + i, data, CreateOptions.persistent()));
                created++;
                if (batch.size() >= 500) {
                    zk.multi(batch);
                    batch = new ArrayList<>();
                }
            }
        }
        for (int i = 0; created < n; i++, created++) {
            batch.add(Op.create(root + "/g0/x" + i, data, CreateOptions.persistent()));
        }
        if (!batch.isEmpty()) {
            zk.multi(batch);
        }
    }

    /** One load: {milliseconds, heap bytes per node}. */
    private static double[] measureLoad(
            Contender c, String connect, Duration sessionTimeout, String root, int n, boolean measureHeap)
            throws Exception {
        try (AutoCloseable client = c.connect(connect, sessionTimeout)) {
            HeapSnapshot before = measureHeap ? HeapSnapshot.take() : null;
            long t0 = System.nanoTime();
            try (Cache cache = c.load(client, root, data -> {})) {
                double millis = (System.nanoTime() - t0) / 1e6;
                double perNode = Double.NaN;
                if (measureHeap) {
                    HeapSnapshot after = HeapSnapshot.take();
                    perNode = (double) (after.usedBytes() - before.usedBytes()) / n;
                }
                return new double[] {millis, perNode};
            }
        }
    }

    /**
     * Another client sets nodes at a fixed rate, each value carrying its send time; the cache's
     * listener records how long each took to arrive.
     */
    private static Propagation measurePropagation(
            Contender c, ZkClient writer, String connect, Duration sessionTimeout, String root, int n, int size)
            throws Exception {
        int changes = (int) (CHANGES_PER_SECOND * PROPAGATION_TIME.toSeconds());
        AtomicLongArray latency = new AtomicLongArray(changes);
        AtomicInteger seen = new AtomicInteger();
        List<String> leaves = new ArrayList<>();
        int perGroup = Math.max(1, (n - 1 - GROUPS) / GROUPS);
        for (int g = 0; g < GROUPS; g++) {
            for (int i = 0; i < Math.min(perGroup, 20); i++) {
                leaves.add(root + "/g" + g + "/n" + i);
            }
        }
        try (AutoCloseable client = c.connect(connect, sessionTimeout);
                Cache cache = c.load(client, root, data -> {
                    if (data.length >= 16 && data[0] == 'P') {
                        ByteBuffer b = ByteBuffer.wrap(data);
                        long sent = b.getLong(8);
                        int index = b.getInt(1);
                        long took = System.nanoTime() - sent;
                        if (index >= 0 && index < changes && latency.compareAndSet(index, 0, Math.max(1, took))) {
                            seen.incrementAndGet();
                        }
                    }
                })) {
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            long period = TimeUnit.SECONDS.toNanos(1) / CHANGES_PER_SECOND;
            try (var writers = java.util.concurrent.Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name("cache-bench-writer-", 0).factory())) {
                for (int i = 0; i < changes; i++) {
                    long due = start + i * period;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    int index = i;
                    String path = leaves.get(i % leaves.size());
                    writers.execute(() -> {
                        byte[] data = new byte[Math.max(16, size)];
                        ByteBuffer b = ByteBuffer.wrap(data);
                        b.put(0, (byte) 'P');
                        b.putInt(1, index);
                        b.putLong(8, System.nanoTime());
                        writer.setData(path, data);
                    });
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.get() < changes && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        long[] values = new long[seen.get()];
        int k = 0;
        for (int i = 0; i < changes && k < values.length; i++) {
            long v = latency.get(i);
            if (v > 0) {
                values[k++] = v;
            }
        }
        Arrays.sort(values, 0, k);
        long[] got = Arrays.copyOf(values, k);
        double p99 = percentile(got, 0.99);
        return new Propagation(
                c.id(), changes, got.length, percentile(got, 0.50), p99, percentile(got, 1.0), List.of(p99));
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e3;
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void print(Result r, PrintStream out) {
        out.println();
        out.printf(
                Locale.ROOT,
                "Cache: initial load of a tree of %d B nodes, medians of %d runs (heap: used after full GC,"
                        + " per cached node)%n",
                r.nodeBytes(),
                r.rounds());
        out.printf(
                Locale.ROOT, "  %-10s %8s %10s %12s   %s%n", "cache", "nodes", "load ms", "heap B/node", "runs (ms)");
        for (Row row : r.rows()) {
            out.printf(
                    Locale.ROOT,
                    "  %-10s %8d %10.1f %12.0f   %s%n",
                    row.cache(),
                    row.nodes(),
                    row.loadMillis(),
                    row.heapBytesPerNode(),
                    row.loadRuns().stream()
                            .map(x -> String.format(Locale.ROOT, "%.0f", x))
                            .toList());
        }
        for (int n : TREE_SIZES) {
            Row l = find(r, "loomzk", n);
            Row c = find(r, "curator", n);
            if (l != null && c != null) {
                out.printf(
                        Locale.ROOT,
                        "  %d nodes: LoomZK loads %.1fx faster; holds %.2fx Curator's heap per node%n",
                        n,
                        c.loadMillis() / l.loadMillis(),
                        l.heapBytesPerNode() / c.heapBytesPerNode());
            }
        }
        out.printf(
                Locale.ROOT,
                "Cache propagation: setData by another client to the cache's listener, %d changes/s for %d s,"
                        + " medians of %d runs%n",
                CHANGES_PER_SECOND,
                PROPAGATION_TIME.toSeconds(),
                r.rounds());
        out.printf(
                Locale.ROOT,
                "  %-10s %8s %8s %10s %10s %10s   %s%n",
                "cache",
                "sent",
                "seen",
                "p50 us",
                "p99 us",
                "max us",
                "p99 runs (us)");
        for (Propagation p : r.propagation()) {
            out.printf(
                    Locale.ROOT,
                    "  %-10s %8d %8d %10.0f %10.0f %10.0f   %s%n",
                    p.cache(),
                    p.changes(),
                    p.seen(),
                    p.p50Micros(),
                    p.p99Micros(),
                    p.maxMicros(),
                    p.p99Runs().stream()
                            .map(x -> String.format(Locale.ROOT, "%.0f", x))
                            .toList());
        }
    }

    private static Row find(Result r, String cache, int n) {
        return r.rows().stream()
                .filter(x -> x.cache().equals(cache) && x.nodes() == n)
                .findFirst()
                .orElse(null);
    }

    static String json(Result r) {
        StringBuilder b = new StringBuilder();
        b.append("{\"nodeBytes\":").append(r.nodeBytes()).append(",\"rounds\":").append(r.rounds());
        b.append(",\"load\":[");
        for (int i = 0; i < r.rows().size(); i++) {
            Row row = r.rows().get(i);
            b.append(i == 0 ? "" : ",")
                    .append(String.format(
                            Locale.ROOT,
                            "{\"cache\":\"%s\",\"nodes\":%d,\"loadMillis\":%.2f,\"heapBytesPerNode\":%.1f}",
                            row.cache(),
                            row.nodes(),
                            row.loadMillis(),
                            row.heapBytesPerNode()));
        }
        b.append("],\"propagation\":[");
        for (int i = 0; i < r.propagation().size(); i++) {
            Propagation p = r.propagation().get(i);
            b.append(i == 0 ? "" : ",")
                    .append(String.format(
                            Locale.ROOT,
                            "{\"cache\":\"%s\",\"changesPerSecond\":%d,\"sent\":%d,\"seen\":%d,\"p50Micros\":%.1f,"
                                    + "\"p99Micros\":%.1f,\"maxMicros\":%.1f}",
                            p.cache(),
                            CHANGES_PER_SECOND,
                            p.changes(),
                            p.seen(),
                            p.p50Micros(),
                            p.p99Micros(),
                            p.maxMicros()));
        }
        return b.append("]}\n").toString();
    }

    // ---------------------------------------------------------------- the two caches

    private static final class Loomzk implements Contender {
        @Override
        public String id() {
            return "loomzk";
        }

        @Override
        public AutoCloseable connect(String connect, Duration sessionTimeout) {
            return ZkClient.builder(connect).sessionTimeout(sessionTimeout).build();
        }

        @Override
        public Cache load(AutoCloseable client, String root, Listener onChange) throws Exception {
            TreeCache<byte[]> cache = TreeCache.builder((ZkClient) client, root)
                    .backlog(1_000_000, 256L << 20)
                    .build();
            cache.start();
            if (!cache.awaitInitialized(LOAD_TIMEOUT)) {
                cache.close();
                throw new IllegalStateException("TreeCache did not load " + root + " within " + LOAD_TIMEOUT);
            }
            // the consumer reads the change stream on its own thread
            Thread consumer = Thread.ofVirtual().name("cache-bench-consumer").start(() -> {
                try {
                    for (; ; ) {
                        CacheEvent<byte[]> e = cache.next();
                        if (e.type() == CacheEvent.Type.CHANGED) {
                            onChange.changed(e.newNode().value());
                        }
                    }
                } catch (InterruptedException | RuntimeException e) {
                    // closed
                }
            });
            return () -> {
                cache.close();
                consumer.interrupt();
                consumer.join(Duration.ofSeconds(5));
            };
        }
    }

    private static final class Curator implements Contender {
        @Override
        public String id() {
            return "curator";
        }

        @Override
        public AutoCloseable connect(String connect, Duration sessionTimeout) throws Exception {
            CuratorFramework c = CuratorFrameworkFactory.newClient(
                    connect, (int) sessionTimeout.toMillis(), 15_000, new RetryNTimes(3, 100));
            c.start();
            if (!c.blockUntilConnected(15, TimeUnit.SECONDS)) {
                c.close();
                throw new IllegalStateException("Curator did not connect to " + connect + " within 15 s");
            }
            return c;
        }

        @Override
        public Cache load(AutoCloseable client, String root, Listener onChange) throws Exception {
            CountDownLatch initialized = new CountDownLatch(1);
            CuratorCache cache = CuratorCache.build((CuratorFramework) client, root);
            cache.listenable()
                    .addListener(CuratorCacheListener.builder()
                            .forInitialized(initialized::countDown)
                            .forChanges((before, after) -> onChange.changed(after.getData()))
                            .build());
            cache.start();
            if (!initialized.await(LOAD_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                cache.close();
                throw new IllegalStateException("CuratorCache did not load " + root + " within " + LOAD_TIMEOUT);
            }
            return cache::close;
        }
    }
}
