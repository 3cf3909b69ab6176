package io.loomzk.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.ZkClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;

/** LoomZK and Curator clients of one test, closed together; helpers for the catalogue's tests. */
final class TestFleet implements AutoCloseable {
    private final String connectString;
    private final List<ZkClient> clients = new CopyOnWriteArrayList<>();
    private final List<CuratorFramework> curators = new CopyOnWriteArrayList<>();

    TestFleet(String connectString) {
        this.connectString = connectString;
    }

    String connectString() {
        return connectString;
    }

    ZkClient loom() {
        return loom(Duration.ofSeconds(6));
    }

    ZkClient loom(Duration sessionTimeout) {
        ZkClient c = ZkClient.builder(connectString)
                .sessionTimeout(sessionTimeout)
                .requestTimeout(Duration.ofSeconds(8))
                .build();
        clients.add(c);
        return c;
    }

    /** A client of another connect string (a proxy), closed with the fleet. */
    ZkClient loom(String otherConnectString, Duration sessionTimeout) {
        ZkClient c = ZkClient.builder(otherConnectString)
                .sessionTimeout(sessionTimeout)
                .requestTimeout(Duration.ofSeconds(8))
                .build();
        clients.add(c);
        return c;
    }

    CuratorFramework curator() throws InterruptedException {
        CuratorFramework c = CuratorFrameworkFactory.newClient(connectString, 6_000, 5_000, new RetryOneTime(100));
        curators.add(c);
        c.start();
        assertThat(c.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
        return c;
    }

    @Override
    public void close() {
        curators.forEach(CuratorFramework::close);
        clients.forEach(ZkClient::close);
    }

    /**
     * Runs every recipe of the catalogue once on the calling (platform) thread, so that its classes
     * are loaded before a test judges pinning: loading a class on a virtual thread pins it briefly
     * (a native frame), once per class and JVM, which is the JVM warming up, not the code under test.
     */
    static void warmUpCatalogue(String connectString) throws Exception {
        try (ZkClient zk = ZkClient.builder(connectString).build()) {
            LeaderElection election = LeaderElection.of(zk, "/warm-up/election", "w");
            try (Leadership l = election.awaitLeadership()) {
                l.isValid();
            }
            try (LeaderTask task = LeaderTask.start(election, Leadership::isValid)) {
                eventually(() -> task.terms() >= 2);
            }
            ZkQueue queue = ZkQueue.of(zk, "/warm-up/queue");
            queue.offer(new byte[1]);
            try (ZkQueue.Delivery d = queue.claim(Duration.ofSeconds(10)).orElseThrow()) {
                d.ack();
            }
            queue.claim(Duration.ofMillis(50));
            DoubleBarrier barrier = DoubleBarrier.of(zk, "/warm-up/db", 1);
            barrier.enter(Duration.ofSeconds(10));
            barrier.leave(Duration.ofSeconds(10));
            ZkBarrier.of(zk, "/warm-up/gate").await(Duration.ofSeconds(10));
            SharedCounter counter = SharedCounter.atomicLong(zk, "/warm-up/count");
            counter.increment();
            counter.awaitChange(counter.get(), Duration.ofMillis(50));
            Group group = Group.of(zk, "/warm-up/group");
            try (Group.Member m = group.join("w", null)) {
                m.awaitJoined(Duration.ofSeconds(10));
                group.changes().next(Duration.ofSeconds(10));
            }
            zk.deleteRecursive("/warm-up");
        }
    }

    /** Something to run that may throw. */
    interface Body<T> {
        T call() throws Exception;
    }

    /** Runs {@code body} on a new named thread (virtual, or a platform thread for Curator code). */
    static <T> CompletableFuture<T> async(String name, Body<T> body) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.Builder builder = name.startsWith("curator") ? Thread.ofPlatform() : Thread.ofVirtual();
        builder.name(name).start(() -> {
            try {
                f.complete(body.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    /** Waits until {@code condition} holds, failing after 20 s. */
    static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(10);
        }
    }
}
