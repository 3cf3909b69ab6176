package io.loomzk.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooKeeper;

/** The official client, for testing the kit before LoomZK's own client exists. */
final class ApacheClient implements AutoCloseable {
    final ZooKeeper zk;
    final BlockingQueue<KeeperState> states = new LinkedBlockingQueue<>();

    private ApacheClient(String connectString, int sessionTimeoutMs) throws IOException, InterruptedException {
        zk = new ZooKeeper(connectString, sessionTimeoutMs, this::onEvent);
        awaitState(KeeperState.SyncConnected, 15);
    }

    static ApacheClient connect(String connectString) {
        return connect(connectString, 10_000);
    }

    static ApacheClient connect(String connectString, int sessionTimeoutMs) {
        try {
            return new ApacheClient(connectString, sessionTimeoutMs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits up to {@code seconds} for the session to reach {@code state}. */
    void awaitState(KeeperState state, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            KeeperState s = states.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (s == null) {
                throw new AssertionError("session did not reach " + state + " within " + seconds + " s");
            }
            if (s == state) {
                return;
            }
        }
    }

    private void onEvent(WatchedEvent event) {
        if (event.getType() == org.apache.zookeeper.Watcher.Event.EventType.None) {
            states.add(event.getState());
        }
    }

    @Override
    public void close() {
        try {
            zk.close(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
