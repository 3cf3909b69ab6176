package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.testing.ZkServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server replaced under the same name: the client resolves the name again on every attempt,
 * so it finds the new address and its session goes on there.
 */
@Timeout(60)
class ReResolveIT {

    /** Forwards every connection to one loopback address and port to the server. */
    private static final class Forwarder implements AutoCloseable {
        private final ServerSocket listener;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        Forwarder(String address, int port, int serverPort) throws IOException {
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            Thread.ofVirtual().name("forwarder-" + address).start(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket client = listener.accept();
                        // register, then look: close() closes the listener, then the registered
                        // sockets, so a connection accepted during close() is closed either way
                        sockets.add(client);
                        Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                        sockets.add(server);
                        if (listener.isClosed()) {
                            client.close();
                            server.close();
                            return;
                        }
                        pipe(client.getInputStream(), server.getOutputStream());
                        pipe(server.getInputStream(), client.getOutputStream());
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        int port() {
            return listener.getLocalPort();
        }

        private static void pipe(InputStream in, OutputStream out) {
            Thread.ofVirtual().start(() -> {
                try {
                    in.transferTo(out);
                } catch (IOException ignored) {
                    // the other side closed
                }
            });
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void aServerReplacedUnderTheSameNameIsFoundAtItsNewAddress() throws Exception {
        try (ZkServer server = ZkServer.start();
                Forwarder old = new Forwarder("127.0.0.2", 0, server.port())) {
            TestDns.set("zk1.loomzk.test", "127.0.0.2");
            List<String> history = new CopyOnWriteArrayList<>();
            try (ZkClient zk = ZkClient.builder("zk1.loomzk.test:" + old.port())
                    .stateListener(state -> history.add(state.toString()))
                    .sessionTimeout(Duration.ofSeconds(10))
                    .requestTimeout(Duration.ofSeconds(20))
                    .build()) {
                zk.create("/mine", null, CreateOptions.ephemeral());
                long session = zk.sessionId();
                assertThat(zk.connectedServer().getAddress().getHostAddress()).isEqualTo("127.0.0.2");

                // the old machine goes away; the name now points at its replacement, same port
                try (Forwarder replacement = new Forwarder("127.0.0.3", old.port(), server.port())) {
                    TestDns.set("zk1.loomzk.test", "127.0.0.3");
                    old.close();
                    // a call sent before the client notices would die with the old connection
                    // (and the client may be connected again by the time this looks)
                    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    while (!history.contains("SUSPENDED") && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    assertThat(history).contains("SUSPENDED");
                    assertThat(zk.exists("/mine")).isPresent();
                    history.add("served by " + zk.connectedServer());
                    assertThat(zk.connectedServer().getAddress().getHostAddress())
                            .as("states and servers: %s; name service: %s", history, TestDns.LOG)
                            .isEqualTo("127.0.0.3");
                    assertThat(zk.sessionId()).isEqualTo(session);
                }
            }
        }
    }

    /**
     * The client's own machinery fails (here the name service throws an {@code Error} when the
     * client resolves its server again after a cut; in the field, a JVM that cannot open sockets):
     * the client closes itself at once and every call says why, instead of calling it an expiry.
     */
    @Test
    void aClientWhoseMachineryFailsClosesItselfAndSaysWhy() throws Exception {
        try (ZkServer server = ZkServer.start();
                Forwarder forwarder = new Forwarder("127.0.0.4", 0, server.port())) {
            TestDns.set("zk2.loomzk.test", "127.0.0.4");
            try (ZkClient zk = ZkClient.builder("zk2.loomzk.test:" + forwarder.port())
                    .sessionTimeout(Duration.ofSeconds(10))
                    .requestTimeout(Duration.ofSeconds(20))
                    .build()) {
                zk.create("/before", null, CreateOptions.persistent());
                Error broken = new ExceptionInInitializerError("name service broke (test)");
                TestDns.fail("zk2.loomzk.test", broken);
                long cut = System.nanoTime();
                forwarder.close();

                assertThat(zk.awaitState(Duration.ofSeconds(10), SessionState.CLOSED))
                        .as("name service: %s", TestDns.LOG)
                        .isEqualTo(SessionState.CLOSED);
                assertThat(Duration.ofNanos(System.nanoTime() - cut)).isLessThan(Duration.ofSeconds(5));
                assertThatThrownBy(() -> zk.exists("/before")).isInstanceOfSatisfying(ZkException.Closed.class, e -> {
                    assertThat(e.getCause()).isSameAs(broken);
                    assertThat(e.isTerminal()).isTrue();
                    assertThat(e.getMessage()).contains("internal failure");
                });
            }
        }
        try (ZkServer server = ZkServer.start()) {
            Error broken = new ExceptionInInitializerError("name service broke (test)");
            TestDns.fail("zk3.loomzk.test", broken);
            long start = System.nanoTime();
            assertThatThrownBy(() -> ZkClient.builder("zk3.loomzk.test:" + server.port())
                            .connectTimeout(Duration.ofSeconds(30))
                            .build())
                    .as("build() says why at once, not after its 30 s")
                    .isInstanceOfSatisfying(
                            ZkException.Closed.class,
                            e -> assertThat(e.getCause()).isSameAs(broken));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }
}
