package io.loomzk.bench.load;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;

/** Opening and closing the official client's sessions, with bounded waits. */
final class OfficialSessions {
    /**
     * The official client's two socket implementations ({@code zookeeper.clientCnxnSocket}). NIO
     * is its default; it sends one request per pass of its selector loop. Netty (which TLS
     * requires) writes every queued request and flushes once.
     */
    enum Socket {
        NIO("org.apache.zookeeper.ClientCnxnSocketNIO", "", ""),
        NETTY("org.apache.zookeeper.ClientCnxnSocketNetty", "-netty", " (Netty)");

        final String className;
        /** What a contender over this socket adds to its id and to its label. */
        final String idSuffix;

        final String labelSuffix;

        Socket(String className, String idSuffix, String labelSuffix) {
            this.className = className;
            this.idSuffix = idSuffix;
            this.labelSuffix = labelSuffix;
        }
    }

    private OfficialSessions() {}

    static ZooKeeper open(String connectString, Duration sessionTimeout) throws IOException, InterruptedException {
        return open(connectString, sessionTimeout, Socket.NIO);
    }

    /** Opens a session over the given socket implementation; blocks until connected (15 s at most). */
    static ZooKeeper open(String connectString, Duration sessionTimeout, Socket socket)
            throws IOException, InterruptedException {
        CountDownLatch connected = new CountDownLatch(1);
        ZKClientConfig config = new ZKClientConfig();
        config.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, socket.className);
        BenchTls tls = BenchTls.current();
        if (tls != null) {
            if (socket != Socket.NETTY) {
                throw new IllegalStateException("the official client's TLS needs its Netty socket");
            }
            tls.configure(config);
        }
        ZooKeeper zk = new ZooKeeper(
                connectString,
                (int) sessionTimeout.toMillis(),
                event -> {
                    if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                        connected.countDown();
                    }
                },
                config);
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
