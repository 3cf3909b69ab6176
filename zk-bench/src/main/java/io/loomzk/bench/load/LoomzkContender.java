package io.loomzk.bench.load;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.ZkClient;
import io.loomzk.recipes.LockLease;
import io.loomzk.recipes.ZkMutex;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;

/** LoomZK: one virtual thread per caller, all sharing one {@link ZkClient}. */
final class LoomzkContender extends Contender {
    private volatile ZkClient client;

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
        client = ZkClient.builder(connectString)
                .sessionTimeout(sessionTimeout)
                .requestTimeout(Duration.ofSeconds(30))
                .build();
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
                // one mutex per caller, as the Curator side has one InterProcessMutex per caller
                ZkMutex mutex = ZkMutex.of(zk, tree.lockPath());
                yield () -> {
                    long wait = ctl.giveUpNanos() + LOCK_GRACE_NANOS - System.nanoTime();
                    Optional<LockLease> lease = mutex.tryAcquire(Duration.ofNanos(Math.max(0, wait)));
                    if (lease.isEmpty()) {
                        throw new TimeoutException("lock not acquired before the run ended");
                    }
                    lease.get().close();
                };
            }
            case CACHE -> throw new UnsupportedOperationException("the cache workload runs in CacheMode");
        };
    }
}
