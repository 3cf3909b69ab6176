package io.loomzk.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.ZkClient;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * LoomZK and Apache Curator recipes sharing one path during a migration.
 *
 * <p>Pinning is not judged here: these tests are about agreement, and their first-time class
 * loading on virtual threads (a JVM artifact) shows up as short pins. {@link ManyThreadsIT} judges
 * pinning, after a warm-up.
 */
@ZkTest(failOnPinning = false)
@Timeout(90)
class CuratorInteropIT {
    private static final int ROUNDS_PER_THREAD = 30;

    private String connectString;
    private final List<ZkClient> clients = new ArrayList<>();
    private final List<CuratorFramework> curators = new ArrayList<>();
    /** Who is in the critical section or leading now: -1 for nobody. */
    private final AtomicInteger holder = new AtomicInteger(-1);

    private final AtomicInteger overlaps = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    @BeforeEach
    void setUp(@ZkConnectString String connectString) {
        this.connectString = connectString;
        holder.set(-1);
    }

    @AfterEach
    void closeClients() {
        curators.forEach(CuratorFramework::close);
        clients.forEach(ZkClient::close);
    }

    private ZkClient loom() {
        ZkClient c = ZkClient.builder(connectString)
                .sessionTimeout(Duration.ofSeconds(6))
                .build();
        clients.add(c);
        return c;
    }

    private CuratorFramework curator() throws InterruptedException {
        CuratorFramework c = CuratorFrameworkFactory.newClient(connectString, 6_000, 5_000, new RetryOneTime(100));
        curators.add(c);
        c.start();
        assertThat(c.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
        return c;
    }

    /** Marks {@code who} as the one holder; counts an overlap if someone else is. */
    private void enter(int who) {
        if (!holder.compareAndSet(-1, who)) {
            overlaps.incrementAndGet();
        }
    }

    private void leave(int who) {
        holder.compareAndSet(who, -1);
    }

    private static void work() throws InterruptedException {
        Thread.sleep(ThreadLocalRandom.current().nextInt(3));
    }

    /**
     * A worker thread: virtual for LoomZK, a platform thread for Curator (whose own code pins
     * virtual threads, and is not what these tests judge).
     */
    private Thread worker(String name, Body body) {
        Thread.Builder builder = name.startsWith("curator") ? Thread.ofPlatform() : Thread.ofVirtual();
        return builder.name(name).start(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        });
    }

    private interface Body {
        void run() throws Exception;
    }

    @Test
    void curatorMutexAndZkMutexNeverHoldTheLockTogether() throws Exception {
        String path = "/interop/mutex";
        AtomicInteger loomGrants = new AtomicInteger();
        AtomicInteger curatorGrants = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int who = i;
            ZkMutex mutex = ZkMutex.of(loom(), path);
            threads.add(worker("loom-" + i, () -> {
                for (int r = 0; r < ROUNDS_PER_THREAD; r++) {
                    try (LockLease lease = mutex.acquire()) {
                        enter(who);
                        loomGrants.incrementAndGet();
                        work();
                        assertThat(lease.isValid()).isTrue();
                        leave(who);
                    }
                }
            }));
        }
        for (int i = 0; i < 3; i++) {
            int who = 100 + i;
            InterProcessMutex mutex = new InterProcessMutex(curator(), path);
            threads.add(worker("curator-" + i, () -> {
                for (int r = 0; r < ROUNDS_PER_THREAD; r++) {
                    mutex.acquire();
                    try {
                        enter(who);
                        curatorGrants.incrementAndGet();
                        work();
                        leave(who);
                    } finally {
                        mutex.release();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            assertThat(t.join(Duration.ofSeconds(80))).isTrue();
        }
        assertThat(failure.get()).isNull();
        assertThat(overlaps).hasValue(0);
        assertThat(loomGrants).hasValue(3 * ROUNDS_PER_THREAD);
        assertThat(curatorGrants).hasValue(3 * ROUNDS_PER_THREAD);
        assertThat(ZkMutex.of(loom(), path).contenders()).isEmpty();
    }

    @Test
    void eachSideSeesTheOthersHolder() throws Exception {
        String path = "/interop/visible";
        ZkMutex ours = ZkMutex.of(loom(), path);
        InterProcessMutex theirs = new InterProcessMutex(curator(), path);
        try (LockLease lease = ours.acquire()) {
            assertThat(theirs.acquire(200, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(theirs.getParticipantNodes()).containsExactly(lease.node());
        }
        assertThat(theirs.acquire(5, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(ours.tryAcquire(Duration.ofMillis(200))).isEmpty();
            assertThat(ours.contenders()).hasSize(1);
            assertThat(ProtectedCreate.isProtected(ours.contenders().get(0))).isTrue();
        } finally {
            theirs.release();
        }
        Optional<LockLease> after = ours.tryAcquire(Duration.ofSeconds(5));
        assertThat(after).isPresent();
        after.get().close();
    }

    @Test
    void curatorLeaderLatchAndLeaderElectionNeverBothLead() throws Exception {
        String path = "/interop/election";
        List<Thread> threads = new ArrayList<>();
        AtomicInteger loomTerms = new AtomicInteger();
        AtomicInteger curatorTerms = new AtomicInteger();
        int rounds = ROUNDS_PER_THREAD / 2;
        for (int i = 0; i < 2; i++) {
            int who = i;
            LeaderElection election = LeaderElection.of(loom(), path, "loom-" + i);
            threads.add(worker("loom-" + i, () -> {
                for (int r = 0; r < rounds; r++) {
                    try (Leadership leadership = election.awaitLeadership()) {
                        enter(who);
                        loomTerms.incrementAndGet();
                        work();
                        assertThat(leadership.isValid()).isTrue();
                        leave(who);
                    }
                }
            }));
        }
        for (int i = 0; i < 2; i++) {
            int who = 100 + i;
            CuratorFramework curator = curator();
            threads.add(worker("curator-" + i, () -> {
                for (int r = 0; r < rounds; r++) {
                    LeaderLatch latch = new LeaderLatch(curator, path, "curator-" + who);
                    latch.start();
                    try {
                        latch.await();
                        enter(who);
                        curatorTerms.incrementAndGet();
                        work();
                        leave(who); // before close(): Curator deletes its node before it clears its flag
                    } finally {
                        latch.close();
                    }
                }
            }));
        }
        for (Thread t : threads) {
            assertThat(t.join(Duration.ofSeconds(80))).isTrue();
        }
        assertThat(failure.get()).isNull();
        assertThat(overlaps).hasValue(0);
        assertThat(loomTerms).hasValue(2 * rounds);
        assertThat(curatorTerms).hasValue(2 * rounds);
    }

    @Test
    void observersOnEachSideSeeEveryParticipant() throws Exception {
        String path = "/interop/observers";
        LeaderElection ours = LeaderElection.of(loom(), path, "loom-a");
        Leadership leads = ours.awaitLeadership();
        LeaderLatch latch = new LeaderLatch(curator(), path, "curator-b");
        latch.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (ours.participants().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(ours.participants()).extracting(Participant::id).containsExactly("loom-a", "curator-b");
            assertThat(latch.getLeader().getId()).isEqualTo("loom-a");
            assertThat(latch.getParticipants()).extracting(p -> p.getId()).containsExactly("loom-a", "curator-b");
            assertThat(latch.hasLeadership()).isFalse();
            leads.close();
            assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(ours.leader().orElseThrow().id()).isEqualTo("curator-b");
        } finally {
            leads.close();
            latch.close();
        }
    }
}
