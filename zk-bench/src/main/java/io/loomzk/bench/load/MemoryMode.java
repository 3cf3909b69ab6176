package io.loomzk.bench.load;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.ZkClient;
import io.loomzk.testing.ZkProxy;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.ZooKeeper;

/**
 * The memory mode: N callers each blocked in a getData that a black-holed proxy never lets the
 * server answer; reports the heap that costs per caller.
 *
 * <p>For each client: connect through zk-testing's {@link ZkProxy}, warm the call path up, turn
 * the proxy into a black hole (connections stay open, nothing is forwarded),
 * collect garbage and take the heap in use; start N virtual threads that each call getData; wait
 * until every one of them is parked; collect garbage and take the heap again. The difference,
 * divided by N, is what one blocked caller costs: its virtual thread (stack included), the
 * pending call, its request frame, whatever the client keeps per request. For the official
 * client's async API, N requests are issued without threads: the heap per request in flight.
 * Everything happens well inside the session's read timeout, before the client gives up on the
 * silent connection.
 */
final class MemoryMode {
    private static final long SETTLE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final long WARM_CALLS = 30_000;
    private static final long WARM_MAX_NANOS = TimeUnit.SECONDS.toNanos(6);

    /** One client's measurement. */
    record Side(
            String id,
            String label,
            int blocked,
            long heapBefore,
            long heapAfter,
            List<HeapSnapshot.Share> breakdown,
            String note) {
        double bytesPerCaller() {
            return (double) (heapAfter - heapBefore) / blocked;
        }
    }

    /** All clients' measurements. */
    record Result(int callers, List<Side> sides) {
        double loomzkBytesPerCaller() {
            return bytesPerCaller("loomzk");
        }

        /** The reference: a virtual thread parked in the same harness with no client; NaN if not run. */
        double threadAloneBytesPerCaller() {
            return bytesPerCaller("threads-alone");
        }

        private double bytesPerCaller(String id) {
            return sides.stream()
                    .filter(s -> s.id().equals(id))
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
                StringBuilder top = new StringBuilder();
                for (HeapSnapshot.Share share :
                        s.breakdown().subList(0, Math.min(5, s.breakdown().size()))) {
                    top.append(top.isEmpty() ? "" : ", ")
                            .append(String.format(
                                    Locale.ROOT, "%s %.0f", simpleName(share.className()), share.bytesPerCaller()));
                }
                if (!top.isEmpty()) {
                    out.println("      largest: " + top);
                }
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
                Map<String, Object> classes = new LinkedHashMap<>();
                for (HeapSnapshot.Share share : s.breakdown()) {
                    classes.put(share.className(), share.bytesPerCaller());
                }
                e.put("largestGrowthBytesPerCaller", classes);
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

    private static String simpleName(String className) {
        String n = className.substring(className.lastIndexOf('.') + 1);
        return n.equals("[B") ? "byte[]" : n;
    }

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
                    sides.add(threadsAlone(n, progress));
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

    /**
     * The reference: the same harness with no client at all, each virtual thread parked at once.
     * What a blocked virtual thread costs the JDK here (its object, its continuation, its stack
     * chunk, the JDK's tracking of it) is a floor no client can go under.
     */
    private static Side threadsAlone(int n, Progress progress) throws InterruptedException {
        // The first pass warms the harness up: a caller that parks before its frames are compiled
        // keeps them interpreted (larger) in its stack chunk, and the clients measured after this
        // one find the harness compiled. Only the second pass counts.
        parkAlone(n, progress);
        return parkAlone(n, progress);
    }

    private static Side parkAlone(int n, Progress progress) throws InterruptedException {
        AtomicBoolean released = new AtomicBoolean();
        return blockThreads(
                "threads-alone",
                "thread alone",
                n,
                callers -> {
                    released.set(true);
                    for (Thread t : callers) {
                        LockSupport.unpark(t);
                    }
                },
                progress,
                () -> {
                    while (!released.get()) {
                        LockSupport.park();
                    }
                });
    }

    private static Side loomzk(String host, String path, int n, Duration sessionTimeout, Progress progress)
            throws Exception {
        try (ZkProxy proxy = ZkProxy.start(host)) {
            ZkClient client = ZkClient.builder(proxy.connectString())
                    .sessionTimeout(sessionTimeout)
                    .requestTimeout(Duration.ofSeconds(60))
                    .build();
            try {
                warm("LoomZK", n, progress, () -> client.getData(path));
                return blockThreads("loomzk", "LoomZK", n, proxy, progress, () -> client.getData(path));
            } finally {
                client.close();
            }
        }
    }

    private static Side officialSync(String host, String path, int n, Duration sessionTimeout, Progress progress)
            throws Exception {
        try (ZkProxy proxy = ZkProxy.start(host)) {
            ZooKeeper zk = OfficialSessions.open(proxy.connectString(), sessionTimeout);
            try {
                warm("official sync", n, progress, () -> zk.getData(path, false, null));
                return blockThreads(
                        "official-sync", "official sync", n, proxy, progress, () -> zk.getData(path, false, null));
            } finally {
                OfficialSessions.close(zk);
            }
        }
    }

    private static Side officialAsync(String host, String path, int n, Duration sessionTimeout, Progress progress)
            throws Exception {
        ZkProxy proxy = ZkProxy.start(host);
        try {
            ZooKeeper zk = OfficialSessions.open(proxy.connectString(), sessionTimeout);
            try {
                LongAdder completed = new LongAdder();
                AsyncCallback.DataCallback cb = (rc, p, ctx, d, stat) -> completed.increment();
                warm("official async", n, progress, () -> zk.getData(path, false, null)); // the same request path
                proxy.blackhole();
                HeapSnapshot before = HeapSnapshot.take();
                progress.show(String.format(Locale.ROOT, "memory  official async: issuing %,d requests", n));
                for (int i = 0; i < n; i++) {
                    zk.getData(path, false, cb, null);
                }
                Thread.sleep(500); // let the send thread move them from its outgoing queue to pending
                HeapSnapshot after = HeapSnapshot.take();
                String note = completed.sum() > 0 ? completed.sum() + " completed early: measurement invalid" : null;
                proxy.close(); // the client sees the connection drop and fails every pending call
                return report(progress, "official-async", "official async", n, before, after, note);
            } finally {
                OfficialSessions.close(zk);
            }
        } finally {
            proxy.close();
        }
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    /**
     * Runs the call path until the JIT has compiled it, so that blocked callers park compiled
     * frames: a virtual thread's parked stack is copied to the heap, and interpreted frames are
     * much larger than compiled ones (measured: a stack chunk of about 1,050 B after 7,500 warmup
     * calls, 610 B after 60,000).
     */
    private static void warm(String label, int callers, Progress progress, Call call) throws InterruptedException {
        progress.show("memory  " + label + ": warming up the call path");
        long target = Math.min(WARM_CALLS, Math.max(1_000, callers)); // small runs (tests) warm less
        long deadline = System.nanoTime() + WARM_MAX_NANOS;
        LongAdder calls = new LongAdder();
        Thread[] threads = new Thread[32];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = Thread.ofVirtual().start(() -> {
                while (calls.sum() < target && System.nanoTime() < deadline) {
                    try {
                        call.run();
                        calls.increment();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
        }
        for (Thread t : threads) {
            t.join(Duration.ofNanos(WARM_MAX_NANOS + TimeUnit.SECONDS.toNanos(10)));
        }
        Thread.sleep(300); // let the last compilations finish
    }

    private static Side blockThreads(String id, String label, int n, ZkProxy proxy, Progress progress, Call call)
            throws InterruptedException {
        proxy.blackhole();
        return blockThreads(id, label, n, callers -> proxy.close(), progress, call);
    }

    /**
     * Starts {@code n} virtual threads that each make {@code call}, which must block; measures the
     * heap they hold once every one is parked; then runs {@code release} on the callers, which must
     * end the calls.
     */
    private static Side blockThreads(
            String id, String label, int n, Consumer<Thread[]> release, Progress progress, Call call)
            throws InterruptedException {
        LongAdder ended = new LongAdder();
        HeapSnapshot before = HeapSnapshot.take();
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
        HeapSnapshot after = HeapSnapshot.take();
        String note = null;
        if (ended.sum() > 0) {
            note = ended.sum() + " calls ended early: measurement invalid";
        } else if (parked < n) {
            note = "only " + parked + " callers were parked when measured";
        }
        Side side = report(progress, id, label, n, before, after, note);
        release.accept(callers); // e.g. the client sees the connection drop and fails every pending call
        long joinDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        for (Thread t : callers) {
            long left = joinDeadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            t.join(Duration.ofNanos(left));
        }
        return side;
    }

    private static Side report(
            Progress progress, String id, String label, int n, HeapSnapshot before, HeapSnapshot after, String note) {
        Side side =
                new Side(id, label, n, before.usedBytes(), after.usedBytes(), after.growthSince(before, n, 8), note);
        progress.done(String.format(
                Locale.ROOT,
                "memory  %-15s %,6.0f B of heap per blocked caller (%,d callers)",
                label,
                side.bytesPerCaller(),
                n));
        return side;
    }
}
