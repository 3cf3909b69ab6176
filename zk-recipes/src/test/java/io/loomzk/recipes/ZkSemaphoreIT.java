package io.loomzk.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.ZkClient;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreV2;
import org.apache.curator.framework.recipes.locks.Lease;
import org.apache.curator.framework.recipes.shared.SharedCount;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ZkSemaphore} against a real server, alone and sharing one semaphore with Curator's. */
@ZkTest(failOnPinning = false) // Curator's first class loading on virtual threads shows as short pins
@Timeout(120)
class ZkSemaphoreIT {
    private String connectString;
    private final List<ZkClient> clients = new ArrayList<>();
    private final List<CuratorFramework> curators = new ArrayList<>();
    private final List<SharedCount> counts = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    @BeforeEach
    void setUp(@ZkConnectString String connectString) {
        this.connectString = connectString;
    }

    @AfterEach
    void closeClients() throws Exception {
        for (SharedCount c : counts) {
            c.close();
        }
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

    private SharedCount count(CuratorFramework c, String path, int seed) throws Exception {
        SharedCount count = new SharedCount(c, path, seed);
        counts.add(count);
        count.start();
        return count;
    }

    private static <T> CompletableFuture<T> async(Callable<T> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.ofPlatform().name("semaphore-test-call").start(() -> {
            try {
                f.complete(body.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    private interface Callable<T> {
        T call() throws Exception;
    }

    @Test
    void grantsAtMostTheStoredLimitAndAHigherLimitLetsAWaiterIn() throws Exception {
        ZkClient zk = loom();
        ZkSemaphore semaphore = ZkSemaphore.of(zk, "/sem/basic", 2);
        SemaphoreLease a = semaphore.acquire();
        SemaphoreLease b = ZkSemaphore.of(loom(), "/sem/basic", 5).acquire(); // the stored 2 wins
        assertThat(zk.getData("/sem/basic").data()).containsExactly(0, 0, 0, 2);
        assertThat(semaphore.maxLeases()).isEqualTo(2);
        assertThat(semaphore.tryAcquire(Duration.ofMillis(300))).isEmpty();
        assertThat(semaphore.leases()).hasSize(2);

        CompletableFuture<SemaphoreLease> waiter = async(semaphore::acquire);
        Thread.sleep(300);
        assertThat(waiter).isNotDone();
        a.close();
        SemaphoreLease c = waiter.get(10, TimeUnit.SECONDS);
        assertThat(c.isValid()).isTrue();
        assertThat(c.node()).startsWith("/sem/basic/leases/_c_").contains("-lease-");

        CompletableFuture<SemaphoreLease> another = async(semaphore::acquire);
        Thread.sleep(300);
        assertThat(another).isNotDone();
        semaphore.setMaxLeases(3);
        SemaphoreLease d = another.get(10, TimeUnit.SECONDS);
        assertThat(List.of(b, c, d)).allSatisfy(l -> assertThat(l.isValid()).isTrue());
        b.close();
        c.close();
        d.close();
        assertThat(semaphore.leases()).isEmpty();
    }

    @Test
    void aLeaseEndsWhenItsNodeIsDeletedAndForeignDataIsRefused() throws Exception {
        ZkClient admin = loom();
        ZkSemaphore semaphore = ZkSemaphore.of(loom(), "/sem/deleted", 1);
        SemaphoreLease lease = semaphore.acquire();
        admin.delete(lease.node(), -1);
        assertThat(lease.awaitLoss(Duration.ofSeconds(5))).contains(LeaseLoss.NODE_DELETED);
        semaphore.tryAcquire(Duration.ofSeconds(5)).orElseThrow().close();
        lease.close();

        admin.create("/sem-foreign", new byte[] {1, 2, 3}, CreateOptions.persistent());
        assertThatThrownBy(() -> ZkSemaphore.of(admin, "/sem-foreign", 1).acquire())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("3 bytes");
        assertThat(admin.getData("/sem-foreign").data()).containsExactly(1, 2, 3);
    }

    @Test
    void curatorReadsOurLimitAndCountsOurLeases() throws Exception {
        String path = "/sem/visible";
        ZkSemaphore ours = ZkSemaphore.of(loom(), path, 2);
        SemaphoreLease held = ours.acquire();
        CuratorFramework curator = curator();
        SharedCount count = count(curator, path, 99);
        assertThat(count.getCount()).isEqualTo(2);
        InterProcessSemaphoreV2 theirs = new InterProcessSemaphoreV2(curator, path, count);
        Lease one = theirs.acquire(5, TimeUnit.SECONDS);
        assertThat(one).isNotNull();
        assertThat(theirs.acquire(300, TimeUnit.MILLISECONDS)).isNull(); // ours + theirs = 2
        assertThat(ours.tryAcquire(Duration.ofMillis(300))).isEmpty();
        assertThat(theirs.getParticipantNodes()).hasSize(2);
        count.setCount(3); // Curator changes the limit; we read it
        SemaphoreLease more = ours.tryAcquire(Duration.ofSeconds(5)).orElseThrow();
        assertThat(ours.maxLeases()).isEqualTo(3);
        theirs.returnLease(one);
        more.close();
        held.close();
    }

    @Test
    void curatorAndLoomzkHoldersNeverExceedTheLimit() throws Exception {
        String path = "/sem/interop";
        int max = 3;
        int rounds = 20;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger violations = new AtomicInteger();
        AtomicInteger loomGrants = new AtomicInteger();
        AtomicInteger curatorGrants = new AtomicInteger();
        ZkSemaphore.of(loom(), path, max).maxLeases(); // stores the limit
        List<Thread> threads = new ArrayList<>();
        AtomicInteger timedOut = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            // two instances, each shared by two threads: the mutex is handed between them, and
            // some of their tries time out while a handed-over mutex waits for them
            ZkSemaphore[] shared = {ZkSemaphore.of(loom(), path, max)};
            for (int t = 0; t < 2; t++) {
                threads.add(Thread.ofVirtual()
                        .name("loom-" + i + "-" + t)
                        .start(() -> run(() -> {
                            int granted = 0;
                            while (granted < rounds) {
                                Optional<SemaphoreLease> maybe = shared[0].tryAcquire(Duration.ofMillis(
                                        5 + ThreadLocalRandom.current().nextInt(60)));
                                if (maybe.isEmpty()) {
                                    timedOut.incrementAndGet();
                                    continue;
                                }
                                granted++;
                                try (SemaphoreLease lease = maybe.get()) {
                                    int now = inside.incrementAndGet();
                                    most.accumulateAndGet(now, Math::max);
                                    if (now > max) {
                                        violations.incrementAndGet();
                                    }
                                    loomGrants.incrementAndGet();
                                    Thread.sleep(ThreadLocalRandom.current().nextInt(5));
                                    assertThat(lease.isValid()).isTrue();
                                    inside.decrementAndGet();
                                }
                            }
                        })));
            }
        }
        for (int i = 0; i < 4; i++) {
            CuratorFramework curator = curator();
            InterProcessSemaphoreV2 semaphore = new InterProcessSemaphoreV2(curator, path, count(curator, path, max));
            threads.add(Thread.ofPlatform()
                    .name("curator-" + i)
                    .start(() -> run(() -> {
                        for (int r = 0; r < rounds; r++) {
                            Lease lease = semaphore.acquire();
                            try {
                                int now = inside.incrementAndGet();
                                most.accumulateAndGet(now, Math::max);
                                if (now > max) {
                                    violations.incrementAndGet();
                                }
                                curatorGrants.incrementAndGet();
                                Thread.sleep(ThreadLocalRandom.current().nextInt(5));
                                inside.decrementAndGet();
                            } finally {
                                semaphore.returnLease(lease);
                            }
                        }
                    })));
        }
        for (Thread t : threads) {
            assertThat(t.join(Duration.ofSeconds(100))).isTrue();
        }
        assertThat(failure.get()).isNull();
        assertThat(violations).hasValue(0);
        assertThat(loomGrants).hasValue(4 * rounds);
        assertThat(curatorGrants).hasValue(4 * rounds);
        ZkClient admin = loom();
        assertThat(ZkSemaphore.of(admin, path, max).leases()).isEmpty();
        // no mutex node left behind by a hand-over to a caller that had given up
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!admin.getChildren(path + "/locks").names().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(admin.getChildren(path + "/locks").names()).isEmpty();
        System.out.println("semaphore interop: loomzk " + loomGrants + ", curator " + curatorGrants
                + " leases; most holders at once " + most + " of " + max + "; loomzk tries timed out "
                + timedOut);
    }

    private void run(ThrowingRunnable body) {
        try {
            body.run();
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
