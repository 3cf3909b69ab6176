package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.testing.ZkProxy;
import io.loomzk.testing.ZkServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The transport seam: a {@link Dialer} of the application's makes and connects every socket, is
 * given what is left of the attempt's deadline, and a connect it is blocked in (a proxy exchange,
 * here a read that never returns) is ended by {@link ZkClient#close()}.
 */
@Timeout(120)
class DialerIT {
    private static ZkServer server;

    @BeforeAll
    static void start() {
        server = ZkServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Records what it is asked, with a socket option of its own. */
    private static final class Recording implements Dialer {
        final List<InetSocketAddress> connects = new CopyOnWriteArrayList<>();
        final List<Duration> timeouts = new CopyOnWriteArrayList<>();
        final List<Socket> sockets = new CopyOnWriteArrayList<>();
        final AtomicBoolean hang = new AtomicBoolean();
        final CountDownLatch hanging = new CountDownLatch(1);

        @Override
        public Socket newSocket() throws IOException {
            Socket s = new Socket();
            s.setReceiveBufferSize(128 * 1024);
            sockets.add(s);
            return s;
        }

        @Override
        public void connect(Socket socket, InetSocketAddress server, Duration timeout) throws IOException {
            connects.add(server);
            timeouts.add(timeout);
            Dialer.super.connect(socket, server, timeout);
            if (hang.get()) {
                hanging.countDown();
                socket.setSoTimeout(0);
                socket.getInputStream().read(); // a proxy that never answers; the ZooKeeper server waits too
            }
        }
    }

    @Test
    void everyAttemptGoesThroughTheDialerWithinTheAttemptsBudget() {
        Recording dialer = new Recording();
        try (ZkProxy proxy = ZkProxy.start(server.connectString());
                ZkClient zk = ZkClient.builder(proxy.connectString())
                        .dialer(dialer)
                        .sessionTimeout(Duration.ofSeconds(20))
                        .connectTimeout(Duration.ofSeconds(30))
                        .build()) {
            zk.create("/dialed", null);
            proxy.cutAll();
            assertThat(existsOnceReconnected(zk, "/dialed")).isTrue(); // over a second dialed connection
            assertThat(dialer.connects).hasSizeGreaterThanOrEqualTo(2);
            assertThat(dialer.connects).allMatch(a -> a.getPort() == proxy.port());
            assertThat(dialer.timeouts).allMatch(t -> t.isPositive() && t.compareTo(Duration.ofSeconds(20)) <= 0);
            assertThat(dialer.sockets).hasSameSizeAs(dialer.connects);
            zk.delete("/dialed");
        }
    }

    /** A read sent before the client saw the cut fails with connection loss: try until one gets through. */
    private static boolean existsOnceReconnected(ZkClient zk, String path) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                return zk.exists(path).isPresent();
            } catch (ZkException.ConnectionLoss e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    @Test
    void closeEndsAnAttemptBlockedInsideTheDialer() throws Exception {
        Recording dialer = new Recording();
        ZkProxy proxy = ZkProxy.start(server.connectString());
        try {
            ZkClient zk = ZkClient.builder(proxy.connectString())
                    .dialer(dialer)
                    .sessionTimeout(Duration.ofSeconds(60))
                    .connectTimeout(Duration.ofSeconds(30))
                    .build();
            dialer.hang.set(true);
            proxy.cutAll();
            assertThat(dialer.hanging.await(60, TimeUnit.SECONDS)).isTrue();
            Thread closer = Thread.ofVirtual().start(zk::close);
            closer.join(Duration.ofSeconds(60));
            assertThat(closer.isAlive()).as("close() returned").isFalse();
            assertThat(dialer.sockets.getLast().isClosed()).isTrue();
        } finally {
            proxy.close();
        }
    }
}
