package io.loomzk.recipes;

import io.loomzk.client.Op;
import io.loomzk.client.OpResult;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.testing.Sessions;
import io.loomzk.testing.ZkEnsemble;
import io.loomzk.testing.ZkProxy;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A linearizability-style checker for ownership recipes under real faults: clients repeatedly take
 * ownership (a lock or a leadership), log what they held and when, and write through guarded
 * writes, while a fault thread kills servers, cuts and blackholes connections and expires sessions.
 *
 * <p>Every client reaches the ensemble only through its own three proxies (one per server), so a
 * fault can hit one client alone. Times are {@link System#nanoTime()} of this one JVM.
 *
 * <p>What is checked afterwards:
 * <ol>
 *   <li>No two valid intervals overlap. An interval runs from the moment {@code acquire} returned a
 *       valid lease to the moment just before the holder's last {@code isValid()} that said true.
 *       A session expired on purpose from outside ({@link Sessions#expire}) ends its holder's
 *       interval at the moment that expiry began: no client-side check can see that coming.
 *   <li>Fencing tokens grow with every grant (intervals in start order).
 *   <li>The ensemble's own order agrees: every guarded write that succeeded, in zxid order, carries
 *       a token no lower than the one before (a deposed holder never wrote after its successor).
 *   <li>Once every client has stopped, no contender node is left.
 * </ol>
 */
final class SafetyChecker {
    /** What one client stands for: a lock or an election. */
    interface Contender {
        Optional<Held> acquire(Duration timeout) throws InterruptedException;
    }

    /** What a client holds. */
    interface Held {
        boolean isValid();

        long token();

        long session();

        Optional<LeaseLoss> loss();

        List<OpResult> guardedMulti(List<Op> ops);

        void close();
    }

    enum Fault {
        KILL_CONNECTED_SERVER,
        CUT,
        BLACKHOLE_PAST_SESSION_TIMEOUT,
        EXPIRE_SESSION
    }

    /** What a client held: {@code lostBy} is why it stopped, when it did not just release it. */
    record Interval(int client, long start, long end, long token, long session, LeaseLoss lostBy) {}

    record Write(long zxid, long token, int client) {}

    record Expiry(long session, long at) {}

    /** The outcome of a run. */
    record Report(
            int intervals,
            int emptyGrants,
            int[] grantsPerClient,
            Map<Fault, Integer> faults,
            int faultsOnHolders,
            Map<LeaseLoss, Integer> losses,
            int guardedWrites,
            int guardedWritesRefused,
            List<String> overlaps,
            List<String> tokenRegressions,
            List<String> writeRegressions,
            int lateViewsAfterOutsideExpiry,
            int involuntaryEnds,
            Map<LeaseLoss, Duration> minGapAfterLoss,
            int sessionsRestarted,
            List<String> leftoverNodes,
            Duration ran) {
        int violations() {
            return overlaps.size() + tokenRegressions.size() + writeRegressions.size() + leftoverNodes.size();
        }

        @Override
        public String toString() {
            return String.format(
                    "ran %s: %d valid intervals (%d grants already invalid on return), grants per client %s;"
                            + " faults %s (%d of them on the holder of the moment); losses %s; guarded writes %d ok, %d refused; sessions restarted %d;"
                            + " lease views still valid after an outside expiry %d;"
                            + " %d intervals ended by a loss, the next holder started at least %s after one (by reason);"
                            + " violations %d (overlaps %s, token regressions %s, write regressions %s,"
                            + " leftover nodes %s)",
                    ran,
                    intervals,
                    emptyGrants,
                    java.util.Arrays.toString(grantsPerClient),
                    faults,
                    faultsOnHolders,
                    losses,
                    guardedWrites,
                    guardedWritesRefused,
                    sessionsRestarted,
                    lateViewsAfterOutsideExpiry,
                    involuntaryEnds,
                    minGapAfterLoss.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue().toMillis() + " ms")
                            .toList(),
                    violations(),
                    overlaps,
                    tokenRegressions,
                    writeRegressions,
                    leftoverNodes);
        }
    }

    private final ZkEnsemble ensemble;
    private final String chroot;
    private final Duration sessionTimeout;
    private final int clientCount;
    private final String resource = "/resource";

    private final List<ZkProxy[]> proxies = new ArrayList<>();
    private final List<ZkClient> clients = new ArrayList<>();
    private final Queue<Interval> intervals = new ConcurrentLinkedQueue<>();
    private final Queue<Write> writes = new ConcurrentLinkedQueue<>();
    private final Queue<Expiry> expiries = new ConcurrentLinkedQueue<>();
    private final Map<LeaseLoss, AtomicInteger> losses = new EnumMap<>(LeaseLoss.class);
    private final Map<Fault, AtomicInteger> faults = new EnumMap<>(Fault.class);
    private final AtomicInteger emptyGrants = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger restarts = new AtomicInteger();
    private final AtomicInteger faultsOnHolders = new AtomicInteger();
    private final AtomicLongArray grants;
    /** The client holding now (as its worker believes), or -1. */
    private final AtomicInteger holder = new AtomicInteger(-1);

    private volatile boolean stopping;

    SafetyChecker(ZkEnsemble ensemble, String chroot, int clientCount, Duration sessionTimeout) {
        this.ensemble = ensemble;
        this.chroot = chroot;
        this.clientCount = clientCount;
        this.sessionTimeout = sessionTimeout;
        this.grants = new AtomicLongArray(clientCount);
        for (LeaseLoss l : LeaseLoss.values()) {
            losses.put(l, new AtomicInteger());
        }
        for (Fault f : Fault.values()) {
            faults.put(f, new AtomicInteger());
        }
    }

    /**
     * Runs {@code clientCount} workers, each standing through {@code contender.apply(client)}, with
     * faults for {@code duration}; stops them, and checks.
     *
     * @param contenders makes client {@code i}'s contender
     * @param queueDir the directory whose children are the contender nodes
     */
    Report run(Function<ZkClient, Contender> contenders, String queueDir, Duration duration) throws Exception {
        long began = System.nanoTime();
        try (ZkClient admin =
                ZkClient.builder(ensemble.connectString() + chroot).build()) {
            admin.createIfAbsent(resource, null, io.loomzk.client.CreateOptions.persistent());
            for (int i = 0; i < clientCount; i++) {
                ZkProxy[] mine = new ZkProxy[ensemble.size()];
                StringBuilder hosts = new StringBuilder();
                for (int s = 0; s < mine.length; s++) {
                    mine[s] = ZkProxy.start(ensemble.connectString(s));
                    hosts.append(s == 0 ? "" : ",").append("127.0.0.1:").append(mine[s].port());
                }
                proxies.add(mine);
                clients.add(ZkClient.builder(hosts + chroot)
                        .sessionTimeout(sessionTimeout)
                        .requestTimeout(Duration.ofSeconds(5))
                        .connectTimeout(Duration.ofSeconds(20))
                        .build());
            }
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < clientCount; i++) {
                int me = i;
                Contender contender = contenders.apply(clients.get(i));
                workers.add(Thread.ofVirtual().name("safety-worker-" + i).start(() -> work(me, contender)));
            }
            long end = System.nanoTime() + duration.toNanos();
            injectFaults(end);
            stopping = true;
            for (Thread t : workers) {
                if (!t.join(Duration.ofSeconds(30))) {
                    throw new AssertionError("worker " + t.getName() + " did not stop");
                }
            }
            List<String> leftover = awaitNoContenders(admin, queueDir);
            return check(leftover, Duration.ofNanos(System.nanoTime() - began));
        } finally {
            clients.forEach(ZkClient::close);
            for (ZkProxy[] mine : proxies) {
                for (ZkProxy p : mine) {
                    p.close();
                }
            }
        }
    }

    // ---------------------------------------------------------------- workers

    private void work(int me, Contender contender) {
        ZkClient client = clients.get(me);
        byte[] tokenBytes = new byte[8];
        while (!stopping) {
            try {
                Optional<Held> maybe = contender.acquire(Duration.ofMillis(500));
                if (maybe.isEmpty()) {
                    continue;
                }
                Held held = maybe.get();
                long start = System.nanoTime();
                if (!held.isValid()) {
                    emptyGrants.incrementAndGet();
                    countLoss(held);
                    held.close();
                    continue;
                }
                holder.set(me);
                grants.incrementAndGet(me);
                long lastValid = start;
                int steps = 1 + ThreadLocalRandom.current().nextInt(10);
                for (int s = 0; s < steps && !stopping; s++) {
                    long t = System.nanoTime();
                    if (!held.isValid()) {
                        break;
                    }
                    lastValid = t;
                    ByteBuffer.wrap(tokenBytes).putLong(held.token());
                    try {
                        List<OpResult> r = held.guardedMulti(List.of(Op.setData(resource, tokenBytes, -1)));
                        writes.add(new Write(
                                ((OpResult.SetDataResult) r.get(0)).stat().mzxid(), held.token(), me));
                    } catch (LeaseLostException e) {
                        refused.incrementAndGet();
                        break;
                    } catch (ZkException e) {
                        if (e.isTerminal()) {
                            break;
                        }
                        // lost reply or timeout: the write may or may not have happened; go on
                    }
                    Thread.sleep(2 + ThreadLocalRandom.current().nextInt(18));
                }
                holder.compareAndSet(me, -1);
                LeaseLoss lostBy = held.loss().orElse(null);
                intervals.add(new Interval(me, start, lastValid, held.token(), held.session(), lostBy));
                held.close();
                countLoss(held);
            } catch (InterruptedException e) {
                return;
            } catch (ZkException e) {
                if (e.isTerminal() || client.state().isTerminal()) {
                    restartSession(client);
                } else {
                    pause(50);
                }
            } catch (IllegalStateException e) {
                pause(50); // e.g. a participant still ending its last term
            }
        }
    }

    private void countLoss(Held held) {
        held.loss().ifPresent(l -> losses.get(l).incrementAndGet());
    }

    private void restartSession(ZkClient client) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!stopping && System.nanoTime() < deadline) {
            try {
                if (!client.state().isTerminal()) {
                    return; // still alive: whatever failed was transient after all
                }
                client.startNewSession();
                restarts.incrementAndGet();
                return;
            } catch (ZkException | IllegalStateException e) {
                pause(100);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- faults

    private void injectFaults(long end) throws InterruptedException {
        Fault[] cycle = {
            Fault.KILL_CONNECTED_SERVER,
            Fault.CUT,
            Fault.EXPIRE_SESSION,
            Fault.BLACKHOLE_PAST_SESSION_TIMEOUT,
            Fault.CUT
        };
        Random random = new Random(6);
        for (int n = 0; System.nanoTime() < end; n++) {
            Thread.sleep(500 + random.nextInt(1000)); // some calm between faults
            if (System.nanoTime() >= end) {
                break;
            }
            int victim = victim(random);
            Fault fault = cycle[n % cycle.length];
            faults.get(fault).incrementAndGet();
            if (holder.get() == victim) {
                faultsOnHolders.incrementAndGet();
            }
            ZkClient client = clients.get(victim);
            ZkProxy[] mine = proxies.get(victim);
            switch (fault) {
                case KILL_CONNECTED_SERVER -> {
                    int server = serverOf(victim);
                    ensemble.kill(server);
                    Thread.sleep(300);
                    ensemble.start(server);
                }
                case CUT -> {
                    for (ZkProxy p : mine) {
                        p.cutAll();
                    }
                }
                case EXPIRE_SESSION -> {
                    long session = client.sessionId();
                    expiries.add(new Expiry(session, System.nanoTime()));
                    try {
                        Sessions.expire(ensemble.connectString(), session, client.sessionPassword());
                    } catch (RuntimeException e) {
                        // the session may have ended meanwhile for another reason
                    }
                }
                case BLACKHOLE_PAST_SESSION_TIMEOUT -> {
                    for (ZkProxy p : mine) {
                        p.blackhole();
                    }
                    Thread.sleep(sessionTimeout.toMillis() + 1_000);
                    for (ZkProxy p : mine) {
                        p.resume();
                    }
                }
            }
        }
    }

    /** The holder if there is one (faults matter most there), else any client. */
    private int victim(Random random) {
        int h = holder.get();
        return h >= 0 ? h : random.nextInt(clientCount);
    }

    /** The server client {@code i} is connected to (through which of its proxies), or 0. */
    private int serverOf(int i) {
        InetSocketAddress connected = clients.get(i).connectedServer();
        ZkProxy[] mine = proxies.get(i);
        for (int s = 0; s < mine.length; s++) {
            if (connected != null && connected.getPort() == mine[s].port()) {
                return s;
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------- checks

    private List<String> awaitNoContenders(ZkClient admin, String queueDir) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<String> left = List.of();
        while (System.nanoTime() < deadline) {
            try {
                left = admin.getChildren(queueDir).names();
            } catch (ZkException.NoNode e) {
                return List.of();
            } catch (ZkException e) {
                Thread.sleep(100);
                continue;
            }
            if (left.isEmpty()) {
                return left;
            }
            Thread.sleep(100);
        }
        return left;
    }

    private Report check(List<String> leftover, Duration ran) {
        List<Interval> all = new ArrayList<>(intervals);
        int late = 0;
        List<Interval> valid = new ArrayList<>();
        for (Interval i : all) {
            long end = i.end();
            for (Expiry e : expiries) {
                if (e.session() == i.session() && e.at() < end) {
                    end = Math.max(i.start(), e.at());
                }
            }
            if (end < i.end() && anotherStartedWithin(all, i, end, i.end())) {
                late++;
            }
            valid.add(new Interval(i.client(), i.start(), end, i.token(), i.session(), i.lostBy()));
        }
        valid.sort(Comparator.comparingLong(Interval::start));

        List<String> overlaps = new ArrayList<>();
        List<String> tokenRegressions = new ArrayList<>();
        Interval reach = null; // the interval reaching furthest so far
        Interval previous = null;
        for (Interval i : valid) {
            if (reach != null && i.start() < reach.end()) {
                overlaps.add(reach + " / " + i);
            }
            if (previous != null && i.token() <= previous.token()) {
                tokenRegressions.add(previous + " / " + i);
            }
            if (reach == null || i.end() > reach.end()) {
                reach = i;
            }
            previous = i;
        }

        int lost = 0;
        Map<LeaseLoss, Duration> minGaps = new EnumMap<>(LeaseLoss.class);
        for (Interval i : valid) {
            if (i.lostBy() == null) {
                continue;
            }
            lost++;
            long gap = Long.MAX_VALUE;
            for (Interval o : valid) {
                if (o.client() != i.client() && o.start() >= i.start()) {
                    gap = Math.min(gap, o.start() - i.end());
                }
            }
            if (gap != Long.MAX_VALUE) {
                minGaps.merge(i.lostBy(), Duration.ofNanos(gap), (a, b) -> a.compareTo(b) <= 0 ? a : b);
            }
        }

        List<Write> ordered = new ArrayList<>(writes);
        ordered.sort(Comparator.comparingLong(Write::zxid));
        List<String> writeRegressions = new ArrayList<>();
        for (int k = 1; k < ordered.size(); k++) {
            if (ordered.get(k).token() < ordered.get(k - 1).token()) {
                writeRegressions.add(ordered.get(k - 1) + " / " + ordered.get(k));
            }
        }

        int[] perClient = new int[clientCount];
        for (int k = 0; k < clientCount; k++) {
            perClient[k] = (int) grants.get(k);
        }
        return new Report(
                valid.size(),
                emptyGrants.get(),
                perClient,
                faults.entrySet().stream()
                        .collect(Collectors.toMap(
                                Map.Entry::getKey,
                                e -> e.getValue().get(),
                                (a, b) -> a,
                                () -> new EnumMap<>(Fault.class))),
                faultsOnHolders.get(),
                losses.entrySet().stream()
                        .collect(Collectors.toMap(
                                Map.Entry::getKey,
                                e -> e.getValue().get(),
                                (a, b) -> a,
                                () -> new EnumMap<>(LeaseLoss.class))),
                ordered.size(),
                refused.get(),
                overlaps,
                tokenRegressions,
                writeRegressions,
                late,
                lost,
                minGaps,
                restarts.get(),
                leftover,
                ran);
    }

    /** Whether another interval started between {@code from} and {@code to}. */
    private static boolean anotherStartedWithin(List<Interval> all, Interval i, long from, long to) {
        for (Interval o : all) {
            if (o != i && o.start() > from && o.start() < to) {
                return true;
            }
        }
        return false;
    }
}
