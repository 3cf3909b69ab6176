package io.loomzk.recipes;

import io.loomzk.client.Op;
import io.loomzk.client.OpResult;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.testing.Sessions;
import io.loomzk.testing.ZkEnsemble;
import io.loomzk.testing.ZkProxy;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * A linearizability-style checker for the recipes that grant something (a lock, a leadership, a
 * read or write side of a read/write lock, a semaphore lease) under real faults: clients take
 * grants over and over, log what they held and when, and write through guarded writes, while a
 * fault thread kills and freezes servers, cuts and blackholes connections and expires sessions.
 * Clients may be LoomZK or Apache Curator ones sharing the same recipe path.
 *
 * <p>Every client reaches the ensemble only through its own proxies (one per server), so a fault
 * can hit one client alone. Times are {@link System#nanoTime()} of this one JVM.
 *
 * <h2>Intervals</h2>
 * A holder's interval runs from the moment {@code acquire} returned a grant it found valid to the
 * moment the holder actually stopped: right after the {@code isValid()} that said false, or right
 * before it released. In between, it acts as holder (guarded writes, pauses of up to 20 ms), so
 * the interval covers everything it did as holder. A Curator holder counts itself valid until
 * Curator reports {@code SUSPENDED} or {@code LOST}, as Curator advises.
 *
 * <h2>What is checked afterwards</h2>
 * <ol>
 *   <li>The recipe's invariant over the intervals ({@link Invariant}): one holder at a time, never
 *       a writer with any other holder, or never more than N holders.
 *   <li>Overlaps in which one side's session had been expired from outside ({@link Sessions#expire})
 *       while it held are reported apart from the rest, with their lengths: no client-side check
 *       can see that coming (see {@link Lease}), and fencing is what covers them. Every other
 *       overlap is a violation.
 *   <li>Fencing tokens follow the grants: no interval that started before an exclusive one has a
 *       higher token, none that started after it a lower one (LoomZK holders; Curator's hide
 *       their nodes).
 *   <li>The ensemble's own order agrees: every guarded write that succeeded, in zxid order, carries
 *       a token no lower than the one before (a deposed holder never wrote after its successor).
 *   <li>Once every client has stopped and the Curator clients are closed, no node is left in the
 *       recipe's directories (LoomZK's cleanup).
 * </ol>
 */
final class SafetyChecker {
    /** What one client stands for. */
    interface Contender {
        Optional<Held> acquire(Duration timeout) throws Exception;
    }

    /** What a client holds. */
    interface Held {
        boolean isValid();

        /** A fencing token, or -1 if unknown. */
        long token();

        long session();

        Optional<LeaseLoss> loss();

        /** Why the grant stopped being valid, for the report; empty while valid or if released. */
        default Optional<String> why() {
            return loss().map(Enum::name);
        }

        /** Whether it excludes every other holder (a lock, a leadership, a write side). */
        default boolean exclusive() {
            return true;
        }

        /** Whether it can make guarded writes. */
        default boolean writes() {
            return true;
        }

        List<OpResult> guardedMulti(List<Op> ops);

        void close();
    }

    /** What may hold at once. */
    record Invariant(int maxHolders) {
        /** One holder at a time, or one writer and no one else. */
        static final Invariant EXCLUSIVE = new Invariant(Integer.MAX_VALUE);

        static Invariant atMost(int n) {
            return new Invariant(n);
        }
    }

    enum Fault {
        KILL_CONNECTED_SERVER,
        PAUSE_CONNECTED_SERVER,
        CUT,
        BLACKHOLE_PAST_SESSION_TIMEOUT,
        EXPIRE_SESSION,
        CUT_THEN_EXPIRE
    }

    /** The faults of a full run, in cycle order. */
    static final List<Fault> ALL_FAULTS = List.of(
            Fault.KILL_CONNECTED_SERVER,
            Fault.CUT,
            Fault.EXPIRE_SESSION,
            Fault.PAUSE_CONNECTED_SERVER,
            Fault.BLACKHOLE_PAST_SESSION_TIMEOUT,
            Fault.CUT_THEN_EXPIRE);

    /** What a client held: {@code lostBy} is why it stopped, when it did not just release it. */
    record Interval(
            int client,
            boolean curator,
            boolean exclusive,
            long start,
            long end,
            long token,
            long session,
            String lostBy) {}

    record Write(long zxid, long token, int client) {}

    record Expiry(long session, long at) {}

    /** An overlap of two intervals and how long it lasted. */
    record Overlap(Interval first, Interval second, Duration length) {
        @Override
        public String toString() {
            return String.format(
                    "%s client %d [token %d, %s] / %s client %d [token %d, %s] for %.1f ms",
                    first.curator() ? "curator" : "loomzk",
                    first.client(),
                    first.token(),
                    first.lostBy(),
                    second.curator() ? "curator" : "loomzk",
                    second.client(),
                    second.token(),
                    second.lostBy(),
                    length.toNanos() / 1e6);
        }
    }

    /** The outcome of a run. */
    record Report(
            int intervals,
            int curatorIntervals,
            int emptyGrants,
            int[] grantsPerClient,
            Map<Fault, Integer> faults,
            int faultsOnHolders,
            Map<String, Integer> losses,
            int guardedWrites,
            int guardedWritesRefused,
            int mostHoldersAtOnce,
            List<Overlap> overlaps,
            List<Overlap> overlapsUnderOutsideExpiry,
            int outsideExpiriesOfHolders,
            int staleHoldersOverlapping,
            List<String> tokenRegressions,
            List<String> writeRegressions,
            int sessionsRestarted,
            List<String> leftoverNodes,
            Duration ran) {
        int violations() {
            return overlaps.size() + tokenRegressions.size() + writeRegressions.size() + leftoverNodes.size();
        }

        /** The longest overlap under outside expiry, or zero. */
        Duration longestOverlapUnderOutsideExpiry() {
            return longestUnderExpiry().map(Overlap::length).orElse(Duration.ZERO);
        }

        Optional<Overlap> longestUnderExpiry() {
            return overlapsUnderOutsideExpiry.stream().max(Comparator.comparing(Overlap::length));
        }

        @Override
        public String toString() {
            return String.format(
                    "ran %s: %d intervals (%d of Curator holders; %d grants already invalid on return),"
                            + " grants per client %s, at most %d holders at once;"
                            + " faults %s (%d of them on a holder of the moment); losses %s;"
                            + " guarded writes %d ok, %d refused; sessions restarted %d;"
                            + " holders expired from outside %d, of which %d overlapped a later holder (%d pairs, longest %.1f ms: %s);"
                            + " violations %d (overlaps %s, token regressions %s, write regressions %s,"
                            + " leftover nodes %s)",
                    ran,
                    intervals,
                    curatorIntervals,
                    emptyGrants,
                    Arrays.toString(grantsPerClient),
                    mostHoldersAtOnce,
                    faults,
                    faultsOnHolders,
                    losses,
                    guardedWrites,
                    guardedWritesRefused,
                    sessionsRestarted,
                    outsideExpiriesOfHolders,
                    staleHoldersOverlapping,
                    overlapsUnderOutsideExpiry.size(),
                    longestOverlapUnderOutsideExpiry().toNanos() / 1e6,
                    longestUnderExpiry().map(Overlap::toString).orElse("none"),
                    violations(),
                    overlaps,
                    tokenRegressions,
                    writeRegressions,
                    leftoverNodes);
        }
    }

    /** One client's session, LoomZK or Curator. */
    private interface Conn {
        long sessionId() throws Exception;

        byte[] password() throws Exception;

        boolean isCurator();

        /** Starts a new session if this one is over (LoomZK; Curator does it on its own). */
        void restartIfOver();

        void close();
    }

    private final ZkEnsemble ensemble;
    private final String chroot;
    private final Duration sessionTimeout;
    private final int loomClients;
    private final int curatorClients;
    private final int clientCount;
    private final Invariant invariant;
    private final List<Fault> cycle;
    private final String resource = "/resource";

    private final List<ZkProxy[]> proxies = new ArrayList<>();
    private final List<Conn> conns = new ArrayList<>();
    private final Queue<Interval> intervals = new ConcurrentLinkedQueue<>();
    private final Queue<Write> writes = new ConcurrentLinkedQueue<>();
    private final Queue<Expiry> expiries = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicInteger> losses = new ConcurrentHashMap<>();
    private final Map<Fault, AtomicInteger> faults = new EnumMap<>(Fault.class);
    private final AtomicInteger emptyGrants = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger restarts = new AtomicInteger();
    private final AtomicInteger faultsOnHolders = new AtomicInteger();
    private final AtomicLongArray grants;
    /** The workers holding now (as they believe). */
    private final Set<Integer> holders = ConcurrentHashMap.newKeySet();
    /** The client of each worker, by worker id; filled before the workers start. */
    private final List<Integer> workerClients = new ArrayList<>();
    /** How many workers share each LoomZK client and its contender (Curator clients have one). */
    private int threadsPerLoomClient = 1;

    private volatile boolean stopping;

    /** A LoomZK-only checker of one holder at a time with every fault (the lock and election). */
    SafetyChecker(ZkEnsemble ensemble, String chroot, int clientCount, Duration sessionTimeout) {
        this(ensemble, chroot, clientCount, 0, sessionTimeout, Invariant.EXCLUSIVE, ALL_FAULTS);
    }

    SafetyChecker(
            ZkEnsemble ensemble,
            String chroot,
            int loomClients,
            int curatorClients,
            Duration sessionTimeout,
            Invariant invariant,
            List<Fault> cycle) {
        this.ensemble = ensemble;
        this.chroot = chroot;
        this.loomClients = loomClients;
        this.curatorClients = curatorClients;
        this.clientCount = loomClients + curatorClients;
        this.sessionTimeout = sessionTimeout;
        this.invariant = invariant;
        this.cycle = List.copyOf(cycle);
        this.grants = new AtomicLongArray(clientCount);
        for (Fault f : Fault.values()) {
            faults.put(f, new AtomicInteger());
        }
    }

    /**
     * Gives every LoomZK client {@code n} workers sharing its contender (one recipe instance), so
     * the instance's local queue and hand-overs run under the faults too.
     */
    SafetyChecker threadsPerLoomClient(int n) {
        this.threadsPerLoomClient = n;
        return this;
    }

    /** A run of LoomZK clients only. */
    Report run(Function<ZkClient, Contender> contenders, String queueDir, Duration duration) throws Exception {
        return run(
                contenders,
                c -> {
                    throw new IllegalStateException("no Curator clients in this run");
                },
                List.of(queueDir),
                duration);
    }

    /**
     * Runs the workers, LoomZK clients first, with faults for {@code duration}; stops them, and
     * checks.
     *
     * @param loom makes a LoomZK client's contender
     * @param curator makes a Curator client's contender
     * @param queueDirs the directories whose children are the recipe's nodes
     */
    Report run(
            Function<ZkClient, Contender> loom,
            Function<CuratorFramework, Contender> curator,
            List<String> queueDirs,
            Duration duration)
            throws Exception {
        long began = System.nanoTime();
        try (ZkClient admin =
                ZkClient.builder(ensemble.connectString() + chroot).build()) {
            admin.createIfAbsent(resource, null, io.loomzk.client.CreateOptions.persistent());
            List<Contender> contenders = new ArrayList<>();
            for (int i = 0; i < clientCount; i++) {
                ZkProxy[] mine = new ZkProxy[ensemble.size()];
                StringBuilder hosts = new StringBuilder();
                for (int s = 0; s < mine.length; s++) {
                    mine[s] = ZkProxy.start(ensemble.connectString(s));
                    hosts.append(s == 0 ? "" : ",").append("127.0.0.1:").append(mine[s].port());
                }
                proxies.add(mine);
                if (i < loomClients) {
                    ZkClient client = ZkClient.builder(hosts + chroot)
                            .sessionTimeout(sessionTimeout)
                            .requestTimeout(Duration.ofSeconds(5))
                            .connectTimeout(Duration.ofSeconds(20))
                            .build();
                    conns.add(new LoomConn(client));
                    contenders.add(loom.apply(client));
                } else {
                    CuratorConn c = new CuratorConn(hosts + chroot, sessionTimeout);
                    conns.add(c);
                    contenders.add(curator.apply(c.curator));
                }
            }
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < clientCount; i++) {
                int n = conns.get(i).isCurator() ? 1 : threadsPerLoomClient;
                for (int t = 0; t < n; t++) {
                    workerClients.add(i);
                }
            }
            for (int w = 0; w < workerClients.size(); w++) {
                int worker = w;
                int client = workerClients.get(w);
                Contender contender = contenders.get(client);
                // Curator's code blocks in synchronized methods: give it platform threads
                Thread.Builder builder = conns.get(client).isCurator() ? Thread.ofPlatform() : Thread.ofVirtual();
                workers.add(builder.name("safety-worker-" + client + "-" + worker)
                        .start(() -> work(worker, client, contender)));
            }
            long end = System.nanoTime() + duration.toNanos();
            injectFaults(end);
            stopping = true;
            for (Thread t : workers) {
                if (!t.join(Duration.ofSeconds(30))) {
                    throw new AssertionError("worker " + t.getName() + " did not stop");
                }
            }
            for (Conn c : conns) {
                if (c.isCurator()) {
                    c.close(); // its ephemeral nodes go with it; what is left is LoomZK's
                }
            }
            List<String> leftover = new ArrayList<>();
            for (String dir : queueDirs) {
                leftover.addAll(awaitNoChildren(admin, dir));
            }
            return check(leftover, Duration.ofNanos(System.nanoTime() - began));
        } finally {
            conns.forEach(Conn::close);
            for (ZkProxy[] mine : proxies) {
                for (ZkProxy p : mine) {
                    p.close();
                }
            }
        }
    }

    // ---------------------------------------------------------------- clients

    private final class LoomConn implements Conn {
        private final ZkClient client;

        LoomConn(ZkClient client) {
            this.client = client;
        }

        @Override
        public long sessionId() {
            return client.sessionId();
        }

        @Override
        public byte[] password() {
            return client.sessionPassword();
        }

        @Override
        public boolean isCurator() {
            return false;
        }

        @Override
        public void restartIfOver() {
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

        @Override
        public void close() {
            client.close();
        }
    }

    /** A Curator client; {@link #epoch} counts the times it reported SUSPENDED or LOST. */
    static final class CuratorConn implements Conn {
        final CuratorFramework curator;
        final AtomicLong epoch = new AtomicLong();
        private volatile boolean connected = true;
        private volatile boolean closed;

        CuratorConn(String connectString, Duration sessionTimeout) throws InterruptedException {
            curator = CuratorFrameworkFactory.newClient(
                    connectString,
                    (int) sessionTimeout.toMillis(),
                    (int) sessionTimeout.toMillis(),
                    new ExponentialBackoffRetry(100, 5, 1_000));
            curator.getConnectionStateListenable().addListener((c, state) -> {
                if (state == ConnectionState.SUSPENDED || state == ConnectionState.LOST) {
                    connected = false;
                    epoch.incrementAndGet();
                } else if (state.isConnected()) {
                    connected = true;
                }
            });
            curator.start();
            if (!curator.blockUntilConnected(20, TimeUnit.SECONDS)) {
                curator.close();
                throw new IllegalStateException("Curator did not connect to " + connectString);
            }
        }

        /** The epoch a grant starts in: the grant is valid while it stays the same. */
        long epochNow() {
            return epoch.get();
        }

        boolean validSince(long startEpoch) {
            return connected && epoch.get() == startEpoch;
        }

        @Override
        public long sessionId() throws Exception {
            return curator.getZookeeperClient().getZooKeeper().getSessionId();
        }

        @Override
        public byte[] password() throws Exception {
            return curator.getZookeeperClient().getZooKeeper().getSessionPasswd();
        }

        @Override
        public boolean isCurator() {
            return true;
        }

        @Override
        public void restartIfOver() {
            // Curator starts a new session by itself
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                curator.close();
            }
        }
    }

    /** For Curator contenders: the connection of {@code curator}, to track its validity. */
    CuratorConn connOf(CuratorFramework curator) {
        for (Conn c : conns) {
            if (c instanceof CuratorConn cc && cc.curator == curator) {
                return cc;
            }
        }
        throw new IllegalArgumentException("not one of this run's Curator clients");
    }

    // ---------------------------------------------------------------- workers

    private void work(int worker, int me, Contender contender) {
        Conn conn = conns.get(me);
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
                holders.add(worker);
                grants.incrementAndGet(me);
                int steps = 1 + ThreadLocalRandom.current().nextInt(10);
                for (int s = 0; s < steps && !stopping; s++) {
                    if (!held.isValid()) {
                        break;
                    }
                    if (held.exclusive() && held.writes()) {
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
                    }
                    Thread.sleep(2 + ThreadLocalRandom.current().nextInt(18));
                }
                long end = System.nanoTime(); // it stops acting as holder here
                holders.remove(worker);
                intervals.add(new Interval(
                        me,
                        conn.isCurator(),
                        held.exclusive(),
                        start,
                        end,
                        held.token(),
                        held.session(),
                        held.why().orElse(null)));
                held.close();
                countLoss(held);
            } catch (InterruptedException e) {
                return;
            } catch (ZkException e) {
                if (e.isTerminal()) {
                    conn.restartIfOver();
                } else {
                    pause(50);
                }
            } catch (Exception e) {
                pause(50); // a participant still ending its last term; Curator's connection trouble
            }
        }
    }

    private void countLoss(Held held) {
        held.why()
                .ifPresent(
                        l -> losses.computeIfAbsent(l, k -> new AtomicInteger()).incrementAndGet());
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
        Random random = new Random(6);
        for (int n = 0; System.nanoTime() < end; n++) {
            Thread.sleep(500 + random.nextInt(1000)); // some calm between faults
            if (System.nanoTime() >= end) {
                break;
            }
            int victim = victim(random);
            Fault fault = cycle.get(n % cycle.size());
            faults.get(fault).incrementAndGet();
            if (holders.stream().anyMatch(w -> workerClients.get(w) == victim)) {
                faultsOnHolders.incrementAndGet();
            }
            Conn conn = conns.get(victim);
            ZkProxy[] mine = proxies.get(victim);
            switch (fault) {
                case KILL_CONNECTED_SERVER -> {
                    int server = serverOf(victim);
                    ensemble.kill(server);
                    Thread.sleep(300);
                    ensemble.start(server);
                }
                case PAUSE_CONNECTED_SERVER -> {
                    int server = serverOf(victim);
                    ensemble.pause(server);
                    try {
                        Thread.sleep(sessionTimeout.toMillis() / 2 + random.nextInt((int) sessionTimeout.toMillis()));
                    } finally {
                        ensemble.resume(server);
                    }
                }
                case CUT -> {
                    for (ZkProxy p : mine) {
                        p.cutAll();
                    }
                }
                case EXPIRE_SESSION -> expireFromOutside(conn);
                case CUT_THEN_EXPIRE -> {
                    // the holder hears nothing more; its session is closed from outside meanwhile
                    for (ZkProxy p : mine) {
                        p.refuseNewConnections();
                        p.cutAll();
                    }
                    try {
                        Thread.sleep(50);
                        expireFromOutside(conn);
                        Thread.sleep(sessionTimeout.toMillis());
                    } finally {
                        for (ZkProxy p : mine) {
                            p.resume();
                        }
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

    private void expireFromOutside(Conn conn) {
        try {
            long session = conn.sessionId();
            byte[] password = conn.password();
            expiries.add(new Expiry(session, System.nanoTime()));
            Sessions.expire(ensemble.connectString(), session, password);
        } catch (Exception e) {
            // the session may have ended meanwhile for another reason
        }
    }

    /** A holder if there is one (faults matter most there), else any client. */
    private int victim(Random random) {
        Integer[] now = holders.toArray(Integer[]::new);
        return now.length > 0 ? workerClients.get(now[random.nextInt(now.length)]) : random.nextInt(clientCount);
    }

    /** The server client {@code i} is connected to (the proxy with a connection), or 0. */
    private int serverOf(int i) {
        ZkProxy[] mine = proxies.get(i);
        for (int s = 0; s < mine.length; s++) {
            if (mine[s].connectionCount() > 0) {
                return s;
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------- checks

    private List<String> awaitNoChildren(ZkClient admin, String dir) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<String> left = List.of();
        while (System.nanoTime() < deadline) {
            try {
                left = admin.getChildren(dir).names().stream()
                        .filter(Names::isProtected)
                        .toList();
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
        return left.stream().map(n -> Names.child(dir, n)).toList();
    }

    /** Whether {@code i}'s session was expired from outside while it held (or just before). */
    private boolean expiredFromOutside(Interval i, List<Expiry> all) {
        for (Expiry e : all) {
            if (e.session() == i.session() && e.at() <= i.end() && e.at() >= i.start() - sessionTimeout.toNanos()) {
                return true;
            }
        }
        return false;
    }

    /** The intervals of {@code active} that {@code i} may not run with under the invariant. */
    private List<Interval> conflicts(List<Interval> active, Interval i) {
        if (active.size() + 1 > invariant.maxHolders()) {
            return active;
        }
        List<Interval> conflicts = new ArrayList<>();
        for (Interval a : active) {
            if (a.exclusive() || i.exclusive()) {
                conflicts.add(a);
            }
        }
        return conflicts;
    }

    private Report check(List<String> leftover, Duration ran) {
        List<Interval> all = new ArrayList<>(intervals);
        all.sort(Comparator.comparingLong(Interval::start));
        List<Expiry> outside = new ArrayList<>(expiries);

        int expiredHolders = 0;
        for (Interval i : all) {
            if (expiredFromOutside(i, outside)) {
                expiredHolders++;
            }
        }

        // sweep in start order, with the intervals still running. A holder whose session was
        // expired from outside while it held is "stale": what it overlaps is reported apart, and it
        // does not count against the others (the ensemble rightly counted it gone).
        List<Overlap> overlaps = new ArrayList<>();
        List<Overlap> underExpiry = new ArrayList<>();
        List<Interval> active = new ArrayList<>();
        int most = 0;
        for (Interval i : all) {
            active.removeIf(a -> a.end() <= i.start());
            boolean iStale = expiredFromOutside(i, outside);
            List<Interval> fresh = new ArrayList<>();
            for (Interval a : active) {
                if (!expiredFromOutside(a, outside)) {
                    fresh.add(a);
                }
            }
            List<Interval> violating = iStale ? List.of() : conflicts(fresh, i);
            for (Interval a : conflicts(active, i)) {
                Overlap o = new Overlap(a, i, Duration.ofNanos(Math.min(a.end(), i.end()) - i.start()));
                (violating.contains(a) ? overlaps : underExpiry).add(o);
            }
            active.add(i);
            most = Math.max(most, active.size());
        }

        int staleOverlapping = (int) underExpiry.stream()
                .flatMap(o -> java.util.stream.Stream.of(o.first(), o.second()))
                .filter(i -> expiredFromOutside(i, outside))
                .distinct()
                .count();

        List<String> tokenRegressions = new ArrayList<>();
        for (Interval w : all) {
            if (!w.exclusive() || w.token() < 0) {
                continue;
            }
            for (Interval o : all) {
                if (o == w || o.token() < 0) {
                    continue;
                }
                boolean before = o.start() < w.start();
                if (before ? o.token() > w.token() : o.token() < w.token()) {
                    tokenRegressions.add(o + " / " + w);
                }
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
                all.size(),
                (int) all.stream().filter(Interval::curator).count(),
                emptyGrants.get(),
                perClient,
                faults.entrySet().stream()
                        .filter(e -> cycle.contains(e.getKey()))
                        .collect(Collectors.toMap(
                                Map.Entry::getKey,
                                e -> e.getValue().get(),
                                (a, b) -> a,
                                () -> new EnumMap<>(Fault.class))),
                faultsOnHolders.get(),
                losses.entrySet().stream()
                        .collect(Collectors.toMap(
                                Map.Entry::getKey, e -> e.getValue().get(), (a, b) -> a, TreeMap::new)),
                ordered.size(),
                refused.get(),
                most,
                overlaps,
                underExpiry,
                expiredHolders,
                staleOverlapping,
                tokenRegressions,
                writeRegressions,
                restarts.get(),
                leftover,
                ran);
    }
}
