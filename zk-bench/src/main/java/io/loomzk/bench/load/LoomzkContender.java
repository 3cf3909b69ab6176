package io.loomzk.bench.load;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.ZkClient;
import io.loomzk.recipes.LockLease;
import io.loomzk.recipes.SemaphoreLease;
import io.loomzk.recipes.ZkMutex;
import io.loomzk.recipes.ZkReadWriteLock;
import io.loomzk.recipes.ZkSemaphore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/** LoomZK: one virtual thread per caller, all sharing one {@link ZkClient}. */
final class LoomzkContender extends Contender {
    private volatile ZkClient client;
    /** The mutex, read/write lock and semaphore of this run, shared by its callers (they are thread-safe). */
    private volatile ZkMutex mutex;

    private volatile ZkReadWriteLock rwlock;

    private volatile ZkSemaphore semaphore;

    @Override
    String id() {
        return "loomzk";
    }

    @Override
    String label() {
        return "LoomZK";
    }

    @Override
    boolean isLoomzk() {
        return true;
    }

    @Override
    boolean supports(Workload w) {
        return w != Workload.CACHE;
    }

    @Override
    void open(String connectString, Duration sessionTimeout) {
        client = BenchTls.loomzk(connectString)
                .sessionTimeout(sessionTimeout)
                .requestTimeout(Duration.ofSeconds(30))
                .build();
        mutex = null;
        rwlock = null;
        semaphore = null;
    }

    @Override
    void close() {
        ZkClient c = client;
        if (c != null) {
            c.close();
        }
    }

    @Override
    BlockingOp blockingOp(Workload w, BenchTree tree, int caller, RunControl ctl) {
        ZkClient zk = client;
        byte[] data = tree.data();
        return switch (w) {
            case GET_DATA -> () -> zk.getData(tree.readPath());
            case SET_DATA -> () -> zk.setData(tree.writePath(), data, -1);
            case CREATE_DELETE ->
                () -> {
                    String path = zk.create(tree.createPrefix(), data, CreateOptions.ephemeralSequential())
                            .path();
                    zk.delete(path, -1);
                };
            case MIX ->
                () -> {
                    if (ThreadLocalRandom.current().nextInt(10) == 0) {
                        zk.setData(tree.readPath(), data, -1);
                    } else {
                        zk.getData(tree.readPath());
                    }
                };
            case LOCK -> {
                // one mutex for all callers, as LoomZK's recipes are meant to be used: its callers
                // queue locally and at most 16 have a node in ZooKeeper (Curator runs its fastest
                // way, one InterProcessMutex per caller)
                ZkMutex m = mutex;
                if (m == null) {
                    m = ZkMutex.of(zk, tree.lockPath());
                    mutex = m;
                }
                ZkMutex shared = m;
                yield () -> {
                    long wait = ctl.giveUpNanos() + LOCK_GRACE_NANOS - System.nanoTime();
                    Optional<LockLease> lease = shared.tryAcquire(Duration.ofNanos(Math.max(0, wait)));
                    if (lease.isEmpty()) {
                        throw new TimeoutException("lock not acquired before the run ended");
                    }
                    lease.get().close();
                };
            }
            case RWLOCK -> {
                // one lock object for all callers, as LoomZK's recipes are meant to be used: its
                // callers queue locally and at most 16 per side have a node in ZooKeeper (Curator
                // runs its fastest way, one object per caller)
                ZkReadWriteLock rw = rwlock;
                if (rw == null) {
                    rw = ZkReadWriteLock.of(zk, tree.root() + "/rwlock");
                    rwlock = rw;
                }
                ZkReadWriteLock shared = rw;
                yield () -> {
                    ZkReadWriteLock.Side side =
                            ThreadLocalRandom.current().nextInt(10) == 0 ? shared.writeLock() : shared.readLock();
                    long wait = ctl.giveUpNanos() + LOCK_GRACE_NANOS - System.nanoTime();
                    Optional<LockLease> lease = side.tryAcquire(Duration.ofNanos(Math.max(0, wait)));
                    if (lease.isEmpty()) {
                        throw new TimeoutException("lock not acquired before the run ended");
                    }
                    lease.get().close();
                };
            }
            case SEMAPHORE -> {
                ZkSemaphore sem = semaphore;
                if (sem == null) {
                    sem = ZkSemaphore.of(zk, tree.root() + "/semaphore", Workload.SEMAPHORE_LEASES);
                    semaphore = sem;
                }
                ZkSemaphore shared = sem;
                yield () -> {
                    long wait = ctl.giveUpNanos() + LOCK_GRACE_NANOS - System.nanoTime();
                    Optional<SemaphoreLease> lease = shared.tryAcquire(Duration.ofNanos(Math.max(0, wait)));
                    if (lease.isEmpty()) {
                        throw new TimeoutException("lease not acquired before the run ended");
                    }
                    lease.get().close();
                };
            }
            case CACHE -> throw new UnsupportedOperationException("the cache workload runs in CacheMode");
        };
    }
}
