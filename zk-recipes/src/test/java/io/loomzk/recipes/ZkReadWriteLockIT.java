package io.loomzk.recipes;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ZkReadWriteLock} against a real server, alone and sharing one lock with Curator's. */
@ZkTest(failOnPinning = false) // Curator's first class loading on virtual threads shows as short pins
@Timeout(120)
class ZkReadWriteLockIT {
    private String connectString;
    private final List<ZkClient> clients = new ArrayList<>();
    private final List<CuratorFramework> curators = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Readers inside now; writers inside now; violations seen. */
    private final AtomicInteger readers = new AtomicInteger();

    private final AtomicInteger writers = new AtomicInteger();
    private final AtomicInteger violations = new AtomicInteger();

    @BeforeEach
    void setUp(@ZkConnectString String connectString) {
        this.connectString = connectString;
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

    private static <T> CompletableFuture<T> async(Callable<T> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.ofPlatform().name("rwlock-test-call").start(() -> {
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
    void readersShareAndAWriterWaitsForThemAndIsNotOvertakenByLaterReaders() throws Exception {
        ZkReadWriteLock lock = ZkReadWriteLock.of(loom(), "/rw/basic");
        ZkReadWriteLock other = ZkReadWriteLock.of(loom(), "/rw/basic");
        LockLease r1 = lock.readLock().acquire();
        LockLease r2 = other.readLock().acquire(); // shared
        assertThat(r1.isValid()).isTrue();
        assertThat(r2.isValid()).isTrue();
        assertThat(other.writeLock().tryAcquire(Duration.ofMillis(200))).isEmpty();

        CompletableFuture<LockLease> writer = async(() -> other.writeLock().acquire());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (lock.contenders().size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(lock.contenders()).hasSize(3);
        // a reader that comes after the waiting writer queues behind it
        assertThat(lock.readLock().tryAcquire(Duration.ofMillis(300))).isEmpty();
        CompletableFuture<LockLease> lateReader = async(() -> lock.readLock().acquire());
        r1.close();
        Thread.sleep(200);
        assertThat(writer).isNotDone();
        r2.close();
        LockLease w = writer.get(10, TimeUnit.SECONDS);
        assertThat(w.isValid()).isTrue();
        assertThat(w.node()).contains("__WRIT__");
        assertThat(w.fencingToken()).isGreaterThan(r2.fencingToken());
        Thread.sleep(200);
        assertThat(lateReader).isNotDone();
        w.close();
        LockLease late = lateReader.get(10, TimeUnit.SECONDS);
        assertThat(late.node()).contains("__READ__");
        late.close();
        assertThat(lock.contenders()).isEmpty();
    }

    @Test
    void aReadLeaseEndsWhenItsNodeIsDeletedAndLetsTheWriterIn() throws Exception {
        ZkClient admin = loom();
        ZkReadWriteLock lock = ZkReadWriteLock.of(loom(), "/rw/deleted");
        LockLease read = lock.readLock().acquire();
        CompletableFuture<LockLease> writer = async(
                () -> ZkReadWriteLock.of(loom(), "/rw/deleted").writeLock().acquire());
        admin.delete(read.node(), -1);
        assertThat(read.awaitLoss(Duration.ofSeconds(5))).contains(LeaseLoss.NODE_DELETED);
        LockLease w = writer.get(10, TimeUnit.SECONDS);
        assertThat(read.isValid()).isFalse();
        w.close();
        read.close();
    }

    @Test
    void curatorSeesOurHoldersAndWeSeeCuratorsHolders() throws Exception {
        String path = "/rw/visible";
        ZkReadWriteLock ours = ZkReadWriteLock.of(loom(), path);
        InterProcessReadWriteLock theirs = new InterProcessReadWriteLock(curator(), path);
        try (LockLease read = ours.readLock().acquire()) {
            assertThat(theirs.writeLock().acquire(200, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(theirs.readLock().acquire(5, TimeUnit.SECONDS)).isTrue(); // readers share
            theirs.readLock().release();
            assertThat(theirs.readLock().getParticipantNodes()).contains(read.node());
        }
        assertThat(theirs.writeLock().acquire(5, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(ours.readLock().tryAcquire(Duration.ofMillis(200))).isEmpty();
            assertThat(ours.writeLock().tryAcquire(Duration.ofMillis(200))).isEmpty();
            assertThat(ours.contenders()).hasSize(1);
            assertThat(ours.contenders().get(0)).contains("__WRIT__");
        } finally {
            theirs.writeLock().release();
        }
        Optional<LockLease> after = ours.writeLock().tryAcquire(Duration.ofSeconds(5));
        assertThat(after).isPresent();
        after.get().close();
    }

    private void enterRead() {
        readers.incrementAndGet();
        if (writers.get() > 0) {
            violations.incrementAndGet();
        }
    }

    private void enterWrite() {
        if (writers.incrementAndGet() > 1 || readers.get() > 0) {
            violations.incrementAndGet();
        }
    }

    private static void work() throws InterruptedException {
        Thread.sleep(ThreadLocalRandom.current().nextInt(4));
    }

    @Test
    void curatorAndLoomzkReadersAndWritersShareOneLockSafely() throws Exception {
        String path = "/rw/interop";
        int rounds = 25;
        AtomicInteger loomReads = new AtomicInteger();
        AtomicInteger loomWrites = new AtomicInteger();
        AtomicInteger curatorReads = new AtomicInteger();
        AtomicInteger curatorWrites = new AtomicInteger();
        AtomicInteger overlappingReads = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ZkReadWriteLock lock = ZkReadWriteLock.of(loom(), path);
            boolean writer = i % 2 == 0;
            threads.add(Thread.ofVirtual()
                    .name("loom-" + i)
                    .start(() -> run(() -> {
                        for (int r = 0; r < rounds; r++) {
                            if (writer && r % 3 == 0) {
                                try (LockLease lease = lock.writeLock().acquire()) {
                                    enterWrite();
                                    loomWrites.incrementAndGet();
                                    work();
                                    assertThat(lease.isValid()).isTrue();
                                    writers.decrementAndGet();
                                }
                            } else {
                                try (LockLease lease = lock.readLock().acquire()) {
                                    enterRead();
                                    if (readers.get() > 1) {
                                        overlappingReads.incrementAndGet();
                                    }
                                    loomReads.incrementAndGet();
                                    work();
                                    assertThat(lease.isValid()).isTrue();
                                    readers.decrementAndGet();
                                }
                            }
                        }
                    })));
        }
        for (int i = 0; i < 4; i++) {
            InterProcessReadWriteLock lock = new InterProcessReadWriteLock(curator(), path);
            boolean writer = i % 2 == 0;
            threads.add(Thread.ofPlatform()
                    .name("curator-" + i)
                    .start(() -> run(() -> {
                        for (int r = 0; r < rounds; r++) {
                            InterProcessMutex side = writer && r % 3 == 0 ? lock.writeLock() : lock.readLock();
                            side.acquire();
                            try {
                                if (side == lock.writeLock()) {
                                    enterWrite();
                                    curatorWrites.incrementAndGet();
                                    work();
                                    writers.decrementAndGet();
                                } else {
                                    enterRead();
                                    curatorReads.incrementAndGet();
                                    work();
                                    readers.decrementAndGet();
                                }
                            } finally {
                                side.release();
                            }
                        }
                    })));
        }
        for (Thread t : threads) {
            assertThat(t.join(Duration.ofSeconds(100))).isTrue();
        }
        assertThat(failure.get()).isNull();
        assertThat(violations).hasValue(0);
        int writesPerWriter = (rounds + 2) / 3;
        assertThat(loomWrites).hasValue(2 * writesPerWriter);
        assertThat(curatorWrites).hasValue(2 * writesPerWriter);
        assertThat(loomReads).hasValue(4 * rounds - 2 * writesPerWriter);
        assertThat(curatorReads).hasValue(4 * rounds - 2 * writesPerWriter);
        assertThat(ZkReadWriteLock.of(loom(), path).contenders()).isEmpty();
        System.out.println("rwlock interop: loomzk reads " + loomReads + ", writes " + loomWrites + "; curator reads "
                + curatorReads + ", writes " + curatorWrites + "; readers seen together " + overlappingReads);
    }

    private void run(Callable<?> body) {
        try {
            body.call();
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
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
