package io.loomzk.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.Op;
import io.loomzk.client.ZkClient;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@ZkTest
@Timeout(60)
class ZkMutexIT {
    private String connectString;
    private final List<ZkClient> clients = new ArrayList<>();
    private String lockPath;
    private ZkClient admin;

    @BeforeEach
    void setUp(@ZkConnectString String connectString) {
        this.connectString = connectString;
        admin = client();
        lockPath = "/locks/lock";
    }

    @AfterEach
    void closeClients() {
        clients.forEach(ZkClient::close);
    }

    private ZkClient client() {
        ZkClient c = ZkClient.builder(connectString)
                .sessionTimeout(Duration.ofSeconds(6))
                .build();
        clients.add(c);
        return c;
    }

    private List<String> nodes() {
        return ZkMutex.of(admin, lockPath).contenders();
    }

    @Test
    void oneHolderAtATimeAndCloseLetsTheNextIn() throws Exception {
        ZkMutex a = ZkMutex.of(client(), lockPath);
        ZkMutex b = ZkMutex.of(client(), lockPath);
        LockLease first = a.acquire();
        assertThat(first.isValid()).isTrue();
        assertThat(b.tryAcquire(Duration.ofMillis(300))).isEmpty();

        Future<LockLease> second = acquireAsync(b);
        awaitNodes(2);
        assertThat(second).isNotDone();
        first.close();
        LockLease next = second.get(5, TimeUnit.SECONDS);
        assertThat(next.isValid()).isTrue();
        assertThat(first.isValid()).isFalse();
        assertThat(first.loss()).contains(LeaseLoss.RELEASED);
        assertThat(next.fencingToken()).isGreaterThan(first.fencingToken());
        next.close();
        assertThat(nodes()).isEmpty();
    }

    @Test
    void nodeNamesAreCuratorsProtectedLockNames() throws Exception {
        try (LockLease lease = ZkMutex.of(client(), lockPath).acquire()) {
            String name = Names.name(lease.node());
            assertThat(name).matches("_c_[0-9a-f-]{36}-lock-\\d{10}");
            assertThat(ProtectedCreate.isProtected(name)).isTrue();
            assertThat(lease.node()).startsWith(lockPath + "/");
            assertThat(lease.lockPath()).isEqualTo(lockPath);
        }
    }

    @Test
    void leaseClosesFromAnotherThreadAndCloseIsIdempotent() throws Exception {
        ZkClient c = client();
        ZkMutex mutex = ZkMutex.of(c, lockPath);
        LockLease lease = mutex.acquire();
        List<Thread> closers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            closers.add(Thread.ofVirtual().name("closer-" + i).start(lease::close));
        }
        for (Thread t : closers) {
            assertThat(t.join(Duration.ofSeconds(10))).isTrue();
        }
        lease.close();
        assertThat(lease.isValid()).isFalse();
        assertThat(lease.awaitLoss(Duration.ofSeconds(1))).contains(LeaseLoss.RELEASED);
        assertThat(nodes()).isEmpty();
        try (LockLease again = mutex.tryAcquire(Duration.ofSeconds(5)).orElseThrow()) {
            assertThat(again.isValid()).isTrue();
        }
    }

    @Test
    void timedOutAcquireLeavesNoNode() throws Exception {
        try (LockLease held = ZkMutex.of(client(), lockPath).acquire()) {
            ZkMutex other = ZkMutex.of(client(), lockPath);
            long start = System.nanoTime();
            assertThat(other.tryAcquire(Duration.ofMillis(400))).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
            assertThat(nodes()).containsExactly(Names.name(held.node()));
            assertThat(other.tryAcquire(Duration.ZERO)).isEmpty();
            assertThat(nodes()).containsExactly(Names.name(held.node()));
        }
    }

    @Test
    void interruptedAcquireThrowsAndLeavesNoNode() throws Exception {
        try (LockLease held = ZkMutex.of(client(), lockPath).acquire()) {
            ZkMutex other = ZkMutex.of(client(), lockPath);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> flagAfter = new AtomicReference<>();
            Thread waiter = Thread.ofVirtual().name("waiter").start(() -> {
                try {
                    other.acquire().close();
                } catch (Throwable t) {
                    thrown.set(t);
                    flagAfter.set(Thread.currentThread().isInterrupted());
                }
            });
            awaitNodes(2);
            waiter.interrupt();
            assertThat(waiter.join(Duration.ofSeconds(10))).isTrue();
            assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
            assertThat(flagAfter.get()).isFalse();
            assertThat(nodes()).containsExactly(Names.name(held.node()));
        }
    }

    @Test
    void acquireWithInterruptFlagSetThrowsAtOnce() {
        ZkMutex mutex = ZkMutex.of(client(), lockPath);
        Thread.currentThread().interrupt();
        assertThatThrownBy(mutex::acquire).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
        assertThat(nodes()).isEmpty();
    }

    @Test
    void leaseTurnsInvalidWhenAnotherClientDeletesItsNode() throws Exception {
        ZkMutex mutex = ZkMutex.of(client(), lockPath);
        LockLease lease = mutex.acquire();
        admin.delete(lease.node());
        assertThat(lease.awaitLoss(Duration.ofSeconds(5))).contains(LeaseLoss.NODE_DELETED);
        assertThat(lease.isValid()).isFalse();
        assertThatThrownBy(() -> lease.guardedMulti(Op.create("/x", null, CreateOptions.persistent())))
                .isInstanceOf(LeaseLostException.class);
        assertThat(admin.exists("/x")).isEmpty();
        try (LockLease next =
                ZkMutex.of(client(), lockPath).tryAcquire(Duration.ofSeconds(5)).orElseThrow()) {
            assertThat(next.isValid()).isTrue();
        }
        lease.close(); // harmless after the loss
        assertThat(lease.loss()).contains(LeaseLoss.NODE_DELETED);
    }

    @Test
    void leaseTurnsInvalidWhenTheClientCloses() throws Exception {
        ZkClient c = client();
        LockLease lease = ZkMutex.of(c, lockPath).acquire();
        c.close();
        assertThat(lease.isValid()).isFalse();
        // closing the session deletes the node; its notification may beat the CLOSED state
        assertThat(lease.loss().orElseThrow()).isIn(LeaseLoss.SESSION_ENDED, LeaseLoss.NODE_DELETED);
        assertThat(nodes()).isEmpty();
        lease.close();
    }

    @Test
    void guardedMultiWritesOnlyWhileTheLeaseHolds() throws Exception {
        admin.create("/guarded-" + lockPath.hashCode(), new byte[] {0});
        String target = "/guarded-" + lockPath.hashCode();
        LockLease lease = ZkMutex.of(client(), lockPath).acquire();
        assertThat(lease.guardedMulti(Op.setData(target, new byte[] {1}, -1))).hasSize(1);
        assertThat(admin.getData(target).data()).containsExactly(1);
        lease.close();
        assertThatThrownBy(() -> lease.guardedMulti(Op.setData(target, new byte[] {2}, -1)))
                .isInstanceOf(LeaseLostException.class)
                .satisfies(e -> assertThat(((LeaseLostException) e).reason()).isEqualTo(LeaseLoss.RELEASED));
        assertThat(admin.getData(target).data()).containsExactly(1);
    }

    @Test
    void grantsFollowQueueOrderAndSkipContendersThatLeft() throws Exception {
        ZkMutex a = ZkMutex.of(client(), lockPath);
        LockLease held = a.acquire();
        ZkMutex b = ZkMutex.of(client(), lockPath);
        ZkMutex c = ZkMutex.of(client(), lockPath);
        ZkMutex d = ZkMutex.of(client(), lockPath);
        CountDownLatch bQueued = new CountDownLatch(1);
        Thread bThread = Thread.ofVirtual().name("contender-b").start(() -> {
            try {
                bQueued.countDown();
                b.acquire().close();
            } catch (InterruptedException expected) {
                // b leaves the queue
            }
        });
        awaitNodes(2);
        Future<LockLease> cLease = acquireAsync(c);
        awaitNodes(3);
        Future<LockLease> dLease = acquireAsync(d);
        awaitNodes(4);
        bThread.interrupt(); // b, between the holder and c, leaves: c now waits on the holder
        assertThat(bThread.join(Duration.ofSeconds(5))).isTrue();
        awaitNodes(3);
        held.close();
        LockLease cHeld = cLease.get(5, TimeUnit.SECONDS);
        assertThat(dLease).isNotDone();
        long cToken = cHeld.fencingToken();
        cHeld.close();
        LockLease dHeld = dLease.get(5, TimeUnit.SECONDS);
        assertThat(dHeld.fencingToken()).isGreaterThan(cToken);
        dHeld.close();
        assertThat(nodes()).isEmpty();
    }

    @Test
    void localCallersQueueLocallyBeyondTheConfiguredNodes() throws Exception {
        ZkMutex mutex =
                ZkMutex.builder(client(), lockPath).maxLocalContenders(2).build();
        LockLease held = mutex.acquire();
        BlockingQueue<LockLease> granted = new LinkedBlockingQueue<>();
        for (int i = 0; i < 5; i++) {
            Thread.ofVirtual().name("local-" + i).start(() -> {
                try {
                    granted.add(mutex.acquire());
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        awaitNodes(2); // the holder's and one waiter's
        Thread.sleep(300); // time for more waiters to create nodes, if the limit let them
        assertThat(nodes()).hasSize(2);
        held.close();
        for (int i = 0; i < 5; i++) {
            LockLease lease = granted.poll(10, TimeUnit.SECONDS);
            assertThat(lease).isNotNull();
            assertThat(lease.isValid()).isTrue();
            assertThat(nodes().size()).isBetween(1, 2);
            assertThat(granted).isEmpty();
            lease.close();
        }
        assertThat(nodes()).isEmpty();
    }

    private Future<LockLease> acquireAsync(ZkMutex mutex) {
        CompletableFuture<LockLease> f = new CompletableFuture<>();
        Thread.ofVirtual().name("acquirer").start(() -> {
            try {
                f.complete(mutex.acquire());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    private void awaitNodes(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (nodes().size() != n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " contender nodes, have " + nodes());
            }
            Thread.sleep(10);
        }
    }
}
