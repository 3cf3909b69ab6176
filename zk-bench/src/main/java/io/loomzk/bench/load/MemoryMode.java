package io.loomzk.bench.load;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.ZkClient;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.ZooKeeper;

/**
 * The memory mode: N callers each blocked in a getData that a black-holed proxy never lets the
 * server answer; reports the heap that costs per caller.
 *
 * <p>For each client: connect through the proxy, read once, turn the proxy into a black hole,
 * collect garbage and take the heap in use; start N virtual threads that each call getData; wait
 * until every one of them is parked; collect garbage and take the heap again. The difference,
 * divided by N, is what one blocked caller costs: its virtual thread (stack included), the
 * pending call, its request frame, whatever the client keeps per request. For the official
 * client's async API, N requests are issued without threads: the heap per request in flight.
 * Everything happens well inside the session's read timeout, before the client gives up on the
 * silent connection.
 */
final class MemoryMode {
    private static final long SETTLE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);

    /** One client's measurement. */
    record Side(String id, String label, int blocked, long heapBefore, long heapAfter, String note) {
        double bytesPerCaller() {
            return (double) (heapAfter - heapBefore) / blocked;
        }
    }

    /** All clients' measurements. */
    record Result(int callers, List<Side> sides) {
        double loomzkBytesPerCaller() {
            return sides.stream()
                    .filter(s -> s.id().equals("loomzk"))
                    .mapToDouble(Side::bytesPerCaller)
                    .findFirst()
                    .orElse(Double.NaN);
        }

        void print(PrintStream out) {
            out.printf(
                    Locale.ROOT,
                    "Memory: heap per caller blocked in getData (%,d callers, a black-holed proxy in front of the server)%n",
                    callers);
            for (Side s : sides) {
                out.printf(
                        Locale.ROOT,
                        "  %-15s %,8.0f B per caller  (%,d blocked, heap %,d -> %,d KiB)%s%n",
                        s.label(),
                        s.bytesPerCaller(),
                        s.blocked(),
                        s.heapBefore() >> 10,
                        s.heapAfter() >> 10,
                        s.note() == null ? "" : "  " + s.note());
            }
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("callers", callers);
            List<Object> list = new ArrayList<>();
            for (Side s : sides) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("client", s.id());
                e.put("clientLabel", s.label());
                e.put("blocked", s.blocked());
                e.put("heapBytesBefore", s.heapBefore());
                e.put("heapBytesAfter", s.heapAfter());
                e.put("bytesPerBlockedCaller", s.bytesPerCaller());
                if (s.note() != null) {
                    e.put("note", s.note());
                }
                list.add(e);
            }
            m.put("clients", list);
            return m;
        }
    }

    private MemoryMode() {}

    static Result run(LoadOptions o, String connect, Progress progress) throws Exception {
        int n = o.blockedCallers();
        String firstHost = connect.split(",")[0].replaceAll("/.*$", "");
        String path = "/loomzk-bench-memory-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        byte[] data = new byte[o.size()];
        List<Side> sides = new ArrayList<>();
        try (ZkClient setup = ZkClient.builder(firstHost).build()) {
            setup.create(path, data, CreateOptions.persistent());
            try {
                boolean all = o.clients().isEmpty();
                if (all || o.clients().contains("loomzk")) {
                    sides.add(loomzk(firstHost, path, n, o.sessionTimeout(), progress));
                }
                if (all || o.clients().contains("official-sync")) {
                    sides.add(officialSync(firstHost, path, n, o.sessionTimeout(), progress));
                }
                if (all || o.clients().contains("official-async")) {
                    sides.add(officialAsync(firstHost, path, n, o.sessionTimeout(), progress));
                }
            } finally {
                setup.delete(path, -1);
            }
        }
        return new Result(n, sides);
    }

    private static Side loomzk(String host, String path, int n, Duration sessionTimeout, Progress progress)
            throws Exception {
        try (BlackholeProxy proxy = new BlackholeProxy(host)) {
            ZkClient client = ZkClient.builder(proxy.connectString())
                    .sessionTimeout(sessionTimeout)
                    .requestTimeout(Duration.ofSeconds(60))
                    .build();
            try {
                client.getData(path);
                return blockThreads("loomzk", "LoomZK", n, proxy, progress, () -> client.getData(path), client::close);
            } finally {
                client.close();
            }
        }
    }

    private static Side officialSync(String host, String path, int n, Duration sessionTimeout, Progress progress)
            throws Exception {
        try (BlackholeProxy proxy = new BlackholeProxy(host)) {
            ZooKeeper zk = OfficialSessions.open(proxy.connectString(), sessionTimeout);
            try {
                zk.getData(path, false, null);
                return blockThreads(
                        "official-sync",
                        "official sync",
                        n,
                        proxy,
                        progress,
                        () -> zk.getData(path, false, null),
                        () -> OfficialSessions.close(zk));
            } finally {
                OfficialSessions.close(zk);
            }
        }
    }

    private static Side officialAsync(String host, String path, int n, Duration sessionTimeout, Progress progress)
            throws Exception {
        try (BlackholeProxy proxy = new BlackholeProxy(host)) {
            ZooKeeper zk = OfficialSessions.open(proxy.connectString(), sessionTimeout);
            try {
                zk.getData(path, false, null);
                proxy.blackhole(true);
                LongAdder completed = new LongAdder();
                AsyncCallback.DataCallback cb = (rc, p, ctx, d, stat) -> completed.increment();
                long before = heapAfterGc();
                progress.show(String.format(Locale.ROOT, "memory  official async: issuing %,d requests", n));
                for (int i = 0; i < n; i++) {
                    zk.getData(path, false, cb, null);
                }
                Thread.sleep(500); // let the send thread move them from its outgoing queue to pending
                long after = heapAfterGc();
                String note = completed.sum() > 0 ? completed.sum() + " completed early: measurement invalid" : null;
                progress.done(String.format(
                        Locale.ROOT,
                        "memory  official async: %,.0f B per request in flight",
                        (double) (after - before) / n));
                return new Side("official-async", "official async", n, before, after, note);
            } finally {
                OfficialSessions.close(zk);
            }
        }
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    private static Side blockThreads(
            String id, String label, int n, BlackholeProxy proxy, Progress progress, Call call, Runnable closeClient)
            throws InterruptedException {
        proxy.blackhole(true);
        LongAdder ended = new LongAdder();
        long before = heapAfterGc();
        Thread[] callers = new Thread[n];
        progress.show(String.format(Locale.ROOT, "memory  %s: starting %,d callers", label, n));
        for (int i = 0; i < n; i++) {
            callers[i] = Thread.ofVirtual().start(() -> {
                try {
                    call.run();
                } catch (Exception e) {
                    // expected once the client is closed at the end
                } finally {
                    ended.increment();
                }
            });
        }
        long deadline = System.nanoTime() + SETTLE_TIMEOUT_NANOS;
        int parked = 0;
        while (System.nanoTime() < deadline) {
            parked = 0;
            for (Thread t : callers) {
                Thread.State s = t.getState();
                if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) {
                    parked++;
                }
            }
            progress.show(String.format(Locale.ROOT, "memory  %s: %,d of %,d callers blocked", label, parked, n));
            if (parked == n) {
                break;
            }
            Thread.sleep(100);
        }
        long after = heapAfterGc();
        String note = null;
        if (ended.sum() > 0) {
            note = ended.sum() + " calls ended early: measurement invalid";
        } else if (parked < n) {
            note = "only " + parked + " callers were parked when measured";
        }
        progress.done(String.format(
                Locale.ROOT,
                "memory  %-15s %,.0f B of heap per blocked caller (%,d callers)",
                label,
                (double) (after - before) / n,
                n));
        closeClient.run();
        long joinDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (Thread t : callers) {
            long left = joinDeadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            t.join(Duration.ofNanos(left));
        }
        return new Side(id, label, n, before, after, note);
    }

    /** Heap in use after full collections (System.gc() is a full, stop-the-world GC by default). */
    static long heapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
