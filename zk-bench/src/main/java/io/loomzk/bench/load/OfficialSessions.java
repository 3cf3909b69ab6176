package io.loomzk.bench.load;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/** Opening and closing the official client's sessions, with bounded waits. */
final class OfficialSessions {
    private OfficialSessions() {}

    static ZooKeeper open(String connectString, Duration sessionTimeout) throws IOException, InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, (int) sessionTimeout.toMillis(), event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        if (!connected.await(15, TimeUnit.SECONDS)) {
            zk.close();
            throw new IOException("the official client did not connect to " + connectString + " within 15 s");
        }
        return zk;
    }

    static void close(ZooKeeper zk) {
        if (zk == null) {
            return;
        }
        try {
            zk.close(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
