package io.loomzk.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.Op;
import io.loomzk.client.SessionState;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.testing.Sessions;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkEnsemble;
import io.loomzk.testing.ZkTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The catalogue's grants under faults on a 3-server ensemble, in bounded trials: servers killed
 * with SIGKILL and restarted, servers paused with SIGSTOP, sessions expired by the server. Each test
 * prints its trials and violations; a violation fails it.
 *
 * <ul>
 *   <li>Queue, exactly-once mode: every item acknowledged exactly once (no duplicate, no loss).
 *   <li>Double barrier: no member released from {@code enter} before {@code memberCount} members of
 *       its round had arrived.
 *   <li>Barrier: no waiter let through while the barrier was up.
 * </ul>
 */
@ZkTest(failOnPinning = false) // child-JVM servers and fault threads: pinning is ManyThreadsIT's job
@Timeout(300)
class CatalogueSafetyIT {
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration FAULTS = Duration.ofSeconds(40);

    private ZkEnsemble ensemble;
    private TestFleet fleet;
    private final List<ZkClient> victims = new ArrayList<>();
    private final Map<String, AtomicInteger> faults = new HashMap<>();
    private final AtomicBoolean stopFaults = new AtomicBoolean();

    @BeforeEach
    void setUp(ZkEnsemble ensemble, @ZkConnectString(ZkConnectString.Target.ENSEMBLE) String connectString) {
        this.ensemble = ensemble;
        fleet = new TestFleet(connectString);
        for (String f : List.of("kill -9", "SIGSTOP", "expire")) {
            faults.put(f, new AtomicInteger());
        }
    }

    @AfterEach
    void tearDown() {
        stopFaults.set(true);
        fleet.close();
    }

    private ZkClient client() {
        return fleet.loom(SESSION_TIMEOUT);
    }

    /** Injects one fault after another until stopped or {@code FAULTS} has passed; returns when done. */
    private CompletableFuture<Void> injectFaults() {
        return TestFleet.async("faults", () -> {
            long end = System.nanoTime() + FAULTS.toNanos();
            int n = 0;
            while (!stopFaults.get() && System.nanoTime() < end) {
                Thread.sleep(700);
                int server = ThreadLocalRandom.current().nextInt(ensemble.size());
                switch (n++ % 4) {
                    case 0 -> {
                        ensemble.kill(server);
                        faults.get("kill -9").incrementAndGet();
                        Thread.sleep(1_000);
                        ensemble.start(server);
                    }
                    case 1 -> {
                        ensemble.pause(server);
                        faults.get("SIGSTOP").incrementAndGet();
                        Thread.sleep(ThreadLocalRandom.current().nextInt(500, 6_000)); // up to past the session timeout
                        ensemble.resume(server);
                    }
                    default -> {
                        ZkClient victim =
                                victims.get(ThreadLocalRandom.current().nextInt(victims.size()));
                        if (victim.state().isConnected()) {
                            try {
                                Sessions.expire(ensemble.connectString(), victim.sessionId(), victim.sessionPassword());
                                faults.get("expire").incrementAndGet();
                            } catch (RuntimeException e) {
                                // no server answered in time (one is down): skip this one
                            }
                        }
                    }
                }
            }
            return null;
        });
    }

    /** After a terminal failure, a new session; false once the client is closed. */
    private static boolean recover(ZkClient client, ZkException e) {
        if (!e.isTerminal()) {
            return true;
        }
        if (client.state() == SessionState.CLOSED) {
            return false;
        }
        try {
            client.startNewSession();
        } catch (RuntimeException again) {
            // no quorum yet: the next call fails and we come back here
        }
        return true;
    }

    @Test
    void queueItemsAreAcknowledgedExactlyOnceUnderServerAndSessionFaults() throws Exception {
        int itemCount = 500;
        ZkClient producer = client();
        ZkQueue queue = ZkQueue.of(producer, "/q");
        for (int i = 0; i < itemCount; i++) {
            queue.offer(Integer.toString(i).getBytes(UTF_8));
        }
        producer.create("/done", null);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger acked = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger unsettled = new AtomicInteger();
        List<CompletableFuture<Void>> consumers = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            ZkClient client = client();
            victims.add(client);
            ZkQueue q = ZkQueue.of(client, "/q").withConsumerId("c" + c);
            consumers.add(TestFleet.async("consumer-" + c, () -> {
                while (!stop.get()) {
                    try {
                        Optional<ZkQueue.Delivery> d = q.claim(Duration.ofSeconds(1));
                        if (d.isEmpty()) {
                            continue;
                        }
                        try (ZkQueue.Delivery delivery = d.get()) {
                            // processing: slow enough that the items span the whole fault period
                            Thread.sleep(ThreadLocalRandom.current().nextInt(100, 250));
                            Op done = Op.create(
                                    "/done/" + delivery.item() + "-", null, CreateOptions.persistentSequential());
                            if (delivery.ack(List.of(done))) {
                                acked.incrementAndGet();
                            } else {
                                refused.incrementAndGet();
                            }
                        } catch (ZkException e) {
                            if (e.mayHaveBeenApplied()) {
                                unsettled.incrementAndGet();
                            }
                            throw e;
                        }
                    } catch (ZkException e) {
                        if (!recover(client, e)) {
                            return null;
                        }
                    }
                }
                return null;
            }));
        }
        CompletableFuture<Void> faultsDone = injectFaults();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (System.nanoTime() < deadline) {
            Thread.sleep(500);
            try {
                if (faultsDone.isDone() && queue.items().isEmpty()) {
                    break;
                }
            } catch (ZkException e) {
                recover(producer, e);
            }
        }
        stopFaults.set(true);
        faultsDone.get(60, TimeUnit.SECONDS);
        stop.set(true);
        for (CompletableFuture<Void> c : consumers) {
            c.get(60, TimeUnit.SECONDS);
        }
        ZkClient reader = client(); // after the faults: a fresh session
        reader.sync("/done");
        Map<String, Integer> perItem = new HashMap<>();
        for (String name : reader.getChildren("/done").names()) {
            perItem.merge(name.substring(0, name.length() - 10), 1, Integer::sum);
        }
        queue = ZkQueue.of(reader, "/q");
        long duplicates = perItem.values().stream().filter(n -> n > 1).count();
        int left = queue.items().size();
        long lost = itemCount - perItem.size() - left;
        System.out.printf(
                "queue exactly-once safety: %d items, %d acks, %d refused, %d unsettled; faults %s;"
                        + " violations: %d duplicates, %d lost (%d still queued)%n",
                itemCount, acked.get(), refused.get(), unsettled.get(), faults, duplicates, lost, left);
        assertThat(duplicates).as("items acknowledged twice").isZero();
        assertThat(lost).as("items neither acknowledged nor queued").isZero();
        assertThat(left).as("items still queued after the run").isZero();
        assertThat(faults.values()).allSatisfy(n -> assertThat(n.get()).isPositive());
    }

    @Test
    void doubleBarrierMembersAreNeverReleasedEarlyUnderFaults() throws Exception {
        int memberCount = 3;
        int membersPerRound = 4;
        List<ZkClient> clients = new ArrayList<>();
        for (int i = 0; i < membersPerRound; i++) {
            ZkClient c = client();
            clients.add(c);
            victims.add(c);
        }
        ZkClient observer = client();
        AtomicInteger early = new AtomicInteger();
        int releases = 0;
        int timeouts = 0;
        int failures = 0;
        int rounds = 0;
        CompletableFuture<Void> faultsDone = injectFaults();
        while (!faultsDone.isDone()) {
            rounds++;
            AtomicInteger arrived = new AtomicInteger();
            List<CompletableFuture<Boolean>> members = new ArrayList<>();
            for (int i = 0; i < membersPerRound; i++) {
                ZkClient c = clients.get(i);
                members.add(TestFleet.async("member-" + i, () -> {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(100));
                    DoubleBarrier barrier = DoubleBarrier.of(c, "/barrier", memberCount);
                    arrived.incrementAndGet();
                    boolean in;
                    try {
                        in = barrier.enter(Duration.ofSeconds(8));
                    } catch (ZkException e) {
                        recover(c, e);
                        throw e;
                    }
                    if (in) {
                        if (arrived.get() < memberCount) {
                            early.incrementAndGet();
                        }
                        Thread.sleep(ThreadLocalRandom.current().nextInt(50));
                        try {
                            barrier.leave(Duration.ofSeconds(8));
                        } catch (ZkException e) {
                            recover(c, e);
                        }
                    }
                    return in;
                }));
            }
            for (CompletableFuture<Boolean> m : members) {
                try {
                    if (m.get(60, TimeUnit.SECONDS)) {
                        releases++;
                    } else {
                        timeouts++;
                    }
                } catch (java.util.concurrent.ExecutionException e) {
                    failures++;
                }
            }
            // the next round starts once no member node of this one is left (dead sessions' go with them)
            long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < wait) {
                try {
                    if (observer.exists("/barrier").isEmpty()
                            || observer.getChildren("/barrier").names().stream()
                                    .allMatch(DoubleBarrier.READY::equals)) {
                        break;
                    }
                } catch (ZkException e) {
                    recover(observer, e);
                }
                Thread.sleep(100);
            }
        }
        System.out.printf(
                "double barrier safety: %d rounds, %d releases, %d timeouts, %d failed enters; faults %s;"
                        + " violations: %d early releases%n",
                rounds, releases, timeouts, failures, faults, early.get());
        assertThat(early)
                .as("members released before %d had arrived", memberCount)
                .hasValue(0);
        assertThat(releases).isGreaterThan(rounds); // the barrier did open, most rounds
    }

    /**
     * LoomZK and Curator members in the same double barrier rounds under the same faults. LoomZK
     * members must never be released early; Curator members' early releases are counted and
     * printed, not asserted (they are Curator's to fix: GH-1290, CURATOR-318).
     */
    @Test
    void loomZkMembersOfAMixedDoubleBarrierAreNeverReleasedEarlyUnderFaults() throws Exception {
        int memberCount = 3;
        List<ZkClient> looms = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ZkClient c = client();
            looms.add(c);
            victims.add(c);
        }
        List<org.apache.curator.framework.CuratorFramework> curators = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            curators.add(fleet.curator());
        }
        ZkClient observer = client();
        AtomicInteger loomEarly = new AtomicInteger();
        AtomicInteger curatorEarly = new AtomicInteger();
        AtomicInteger loomReleases = new AtomicInteger();
        AtomicInteger curatorReleases = new AtomicInteger();
        int rounds = 0;
        CompletableFuture<Void> faultsDone = injectFaults();
        while (!faultsDone.isDone()) {
            rounds++;
            AtomicInteger arrived = new AtomicInteger();
            List<CompletableFuture<Boolean>> members = new ArrayList<>();
            for (ZkClient c : looms) {
                members.add(TestFleet.async("loom-member", () -> {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(100));
                    DoubleBarrier barrier = DoubleBarrier.of(c, "/mixed", memberCount);
                    arrived.incrementAndGet();
                    try {
                        if (!barrier.enter(Duration.ofSeconds(5))) {
                            return false;
                        }
                        loomReleases.incrementAndGet();
                        if (arrived.get() < memberCount) {
                            loomEarly.incrementAndGet();
                        }
                        barrier.leave(Duration.ofSeconds(5));
                        return true;
                    } catch (ZkException e) {
                        recover(c, e);
                        return false;
                    }
                }));
            }
            for (org.apache.curator.framework.CuratorFramework c : curators) {
                members.add(TestFleet.async("curator-member", () -> {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(100));
                    org.apache.curator.framework.recipes.barriers.DistributedDoubleBarrier barrier =
                            new org.apache.curator.framework.recipes.barriers.DistributedDoubleBarrier(
                                    c, "/mixed", memberCount);
                    arrived.incrementAndGet();
                    try {
                        if (!barrier.enter(5, TimeUnit.SECONDS)) {
                            return false;
                        }
                        curatorReleases.incrementAndGet();
                        if (arrived.get() < memberCount) {
                            curatorEarly.incrementAndGet();
                        }
                        barrier.leave(5, TimeUnit.SECONDS);
                        return true;
                    } catch (Exception e) {
                        return false; // Curator's errors under faults: this member's round ends
                    }
                }));
            }
            for (CompletableFuture<Boolean> m : members) {
                m.get(90, TimeUnit.SECONDS);
            }
            // a Curator member whose enter timed out or failed leaves its node behind (CURATOR-80);
            // remove it as it should have, so that it does not count in the next round
            java.util.Set<Long> curatorSessions = new java.util.HashSet<>();
            for (org.apache.curator.framework.CuratorFramework c : curators) {
                try {
                    curatorSessions.add(c.getZookeeperClient().getZooKeeper().getSessionId());
                } catch (Exception e) {
                    // not connected now: its nodes go with its session, or next round
                }
            }
            try {
                if (observer.exists("/mixed").isPresent()) {
                    for (String name : observer.getChildren("/mixed").names()) {
                        Optional<io.loomzk.protocol.Stat> stat = observer.exists("/mixed/" + name);
                        if (stat.isPresent()
                                && curatorSessions.contains(stat.get().ephemeralOwner())) {
                            observer.delete("/mixed/" + name, -1);
                        }
                    }
                }
            } catch (ZkException e) {
                recover(observer, e);
            }
            long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < wait) {
                try {
                    if (observer.exists("/mixed").isEmpty()
                            || observer.getChildren("/mixed").names().stream().allMatch(DoubleBarrier.READY::equals)) {
                        break;
                    }
                } catch (ZkException e) {
                    recover(observer, e);
                }
                Thread.sleep(100);
            }
        }
        System.out.printf(
                "mixed double barrier safety: %d rounds, LoomZK %d releases / %d early, Curator %d releases / %d early;"
                        + " faults %s%n",
                rounds, loomReleases.get(), loomEarly.get(), curatorReleases.get(), curatorEarly.get(), faults);
        assertThat(loomEarly)
                .as("LoomZK members released before %d had arrived", memberCount)
                .hasValue(0);
        assertThat(loomReleases.get()).isPositive();
    }

    @Test
    void barrierWaitersAreNeverLetThroughWhileItIsUp() throws Exception {
        ZkClient controller = client();
        ZkBarrier gate = ZkBarrier.of(controller, "/gate");
        List<ZkClient> waiters = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ZkClient c = client();
            waiters.add(c);
            victims.add(c);
        }
        AtomicInteger early = new AtomicInteger();
        int passes = 0;
        int rounds = 0;
        CompletableFuture<Void> faultsDone = injectFaults();
        while (!faultsDone.isDone()) {
            try {
                gate.set();
            } catch (ZkException e) {
                recover(controller, e);
                continue;
            }
            rounds++;
            AtomicBoolean removed = new AtomicBoolean();
            List<CompletableFuture<Boolean>> all = new ArrayList<>();
            for (ZkClient c : waiters) {
                all.add(TestFleet.async("waiter", () -> {
                    try {
                        boolean through = ZkBarrier.of(c, "/gate").await(Duration.ofSeconds(10));
                        if (through && !removed.get()) {
                            early.incrementAndGet();
                        }
                        return through;
                    } catch (ZkException e) {
                        recover(c, e);
                        return false;
                    }
                }));
            }
            Thread.sleep(ThreadLocalRandom.current().nextInt(100, 600));
            removed.set(true); // from here on, a waiter may be let through
            try {
                gate.remove();
            } catch (ZkException e) {
                recover(controller, e);
                try {
                    gate.remove();
                } catch (ZkException again) {
                    // removed next round's set() at the latest; the waiters time out
                }
            }
            for (CompletableFuture<Boolean> f : all) {
                if (f.get(60, TimeUnit.SECONDS)) {
                    passes++;
                }
            }
        }
        System.out.printf(
                "barrier safety: %d rounds, %d waiters let through; faults %s; violations: %d early%n",
                rounds, passes, faults, early.get());
        assertThat(early).as("waiters let through while the barrier was up").hasValue(0);
        assertThat(passes).isPositive();
    }
}
