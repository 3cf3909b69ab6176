package io.loomzk.bench.load;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreV2;
import org.apache.curator.framework.recipes.locks.Lease;
import org.apache.curator.retry.RetryNTimes;

/**
 * Apache Curator's {@link InterProcessMutex}, {@link InterProcessReadWriteLock} and
 * {@link InterProcessSemaphoreV2} on one {@link CuratorFramework}, one virtual thread and one recipe
 * object per caller (Curator's locks belong to the thread that acquired them).
 */
final class CuratorLockContender extends Contender {
    /** How long after the measured window an acquire may still wait before it gives up. */
    private volatile CuratorFramework curator;

    @Override
    String id() {
        return "curator";
    }

    @Override
    String label() {
        return "Curator";
    }

    @Override
    boolean supports(Workload w) {
        return w.isRecipe();
    }

    @Override
    void open(String connectString, Duration sessionTimeout) throws Exception {
        CuratorFrameworkFactory.Builder b = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs((int) sessionTimeout.toMillis())
                .connectionTimeoutMs(15_000)
                .retryPolicy(new RetryNTimes(0, 0));
        BenchTls tls = BenchTls.current();
        if (tls != null) {
            // Curator over the official client's Netty socket, which its TLS needs
            org.apache.zookeeper.client.ZKClientConfig config = new org.apache.zookeeper.client.ZKClientConfig();
            config.setProperty(
                    org.apache.zookeeper.client.ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET,
                    OfficialSessions.Socket.NETTY.className);
            tls.configure(config);
            b.zkClientConfig(config);
        }
        CuratorFramework c = b.build();
        c.start();
        if (!c.blockUntilConnected(15, TimeUnit.SECONDS)) {
            c.close();
            throw new TimeoutException("Curator did not connect to " + connectString + " within 15 s");
        }
        curator = c;
    }

    @Override
    void close() {
        CuratorFramework c = curator;
        if (c != null) {
            c.close();
        }
    }

    @Override
    BlockingOp blockingOp(Workload w, BenchTree tree, int caller, RunControl ctl) {
        if (w == Workload.RWLOCK) {
            InterProcessReadWriteLock rw = new InterProcessReadWriteLock(curator, tree.root() + "/rwlock");
            return () -> {
                InterProcessMutex side = ThreadLocalRandom.current().nextInt(10) == 0 ? rw.writeLock() : rw.readLock();
                long wait = ctl.giveUpNanos() + LOCK_GRACE_NANOS - System.nanoTime();
                if (!side.acquire(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
                    throw new TimeoutException("lock not acquired before the run ended");
                }
                side.release();
            };
        }
        if (w == Workload.SEMAPHORE) {
            InterProcessSemaphoreV2 semaphore =
                    new InterProcessSemaphoreV2(curator, tree.root() + "/semaphore", Workload.SEMAPHORE_LEASES);
            return () -> {
                long wait = ctl.giveUpNanos() + LOCK_GRACE_NANOS - System.nanoTime();
                Lease lease = semaphore.acquire(Math.max(0, wait), TimeUnit.NANOSECONDS);
                if (lease == null) {
                    throw new TimeoutException("lease not acquired before the run ended");
                }
                semaphore.returnLease(lease);
            };
        }
        InterProcessMutex mutex = new InterProcessMutex(curator, tree.lockPath());
        return () -> {
            long wait = ctl.giveUpNanos() + LOCK_GRACE_NANOS - System.nanoTime();
            if (!mutex.acquire(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
                throw new TimeoutException("lock not acquired before the run ended");
            }
            mutex.release();
        };
    }
}
