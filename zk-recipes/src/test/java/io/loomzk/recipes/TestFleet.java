package io.loomzk.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.ZkClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;

/** LoomZK and Curator clients of one test, closed together; helpers for the catalogue's tests. */
final class TestFleet implements AutoCloseable {
    private final String connectString;
    private final List<ZkClient> clients = new ArrayList<>();
    private final List<CuratorFramework> curators = new ArrayList<>();

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
        synchronizedAdd(clients, c);
        return c;
    }

    /** A client of another connect string (a proxy), closed with the fleet. */
    ZkClient loom(String otherConnectString, Duration sessionTimeout) {
        ZkClient c = ZkClient.builder(otherConnectString)
                .sessionTimeout(sessionTimeout)
                .requestTimeout(Duration.ofSeconds(8))
                .build();
        synchronizedAdd(clients, c);
        return c;
    }

    CuratorFramework curator() throws InterruptedException {
        CuratorFramework c = CuratorFrameworkFactory.newClient(connectString, 6_000, 5_000, new RetryOneTime(100));
        synchronizedAdd(curators, c);
        c.start();
        assertThat(c.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
        return c;
    }

    private static <T> void synchronizedAdd(List<T> list, T item) {
        java.util.concurrent.locks.ReentrantLock lock = LOCK;
        lock.lock();
        try {
            list.add(item);
        } finally {
            lock.unlock();
        }
    }

    private static final java.util.concurrent.locks.ReentrantLock LOCK = new java.util.concurrent.locks.ReentrantLock();

    @Override
    public void close() {
        curators.forEach(CuratorFramework::close);
        clients.forEach(ZkClient::close);
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
