package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.testing.ZkServer;
import io.loomzk.testing.ZkTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The four-letter words against a real server, and against sockets that misbehave. */
@ZkTest
class FourLetterWordsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static InetSocketAddress address(ZkServer server) {
        return new InetSocketAddress("127.0.0.1", server.port());
    }

    @Test
    void srvrMntrRuokConfOfARealServer(ZkServer server) throws IOException {
        try (ZkClient zk = ZkClient.builder(server.connectString()).build()) {
            zk.create("/fourletter-" + System.nanoTime(), new byte[0], CreateOptions.ephemeral());
            ServerStats stats = FourLetterWords.srvr(address(server), TIMEOUT);
            assertThat(stats.mode()).isEqualTo("standalone");
            assertThat(stats.isLeader()).isTrue();
            assertThat(stats.zxid()).isPositive();
            assertThat(stats.zxidHex()).startsWith("0x");
            assertThat(stats.nodeCount()).isGreaterThanOrEqualTo(5);
            assertThat(stats.connections()).isGreaterThanOrEqualTo(1);
            assertThat(stats.version()).startsWith("3.9");
            assertThat(stats.latencyMaxMillis()).isGreaterThanOrEqualTo(stats.latencyMinMillis());
        }
        Map<String, String> mntr = FourLetterWords.mntr(address(server), TIMEOUT);
        assertThat(mntr).containsEntry("zk_server_state", "standalone").containsKey("zk_znode_count");
        assertThat(FourLetterWords.ruok(address(server), TIMEOUT)).isTrue();
        assertThat(FourLetterWords.keyValueWord(address(server), "conf", TIMEOUT))
                .containsEntry("clientPort", Integer.toString(server.port()));
        assertThat(FourLetterWords.ask(address(server), "cons", TIMEOUT)).contains("queued=");
        // An unresolved address (as servers() returns) is resolved by the call.
        InetSocketAddress unresolved = FourLetterWords.servers("127.0.0.1:" + server.port() + "/chroot")
                .get(0);
        assertThat(unresolved.isUnresolved()).isTrue();
        assertThat(FourLetterWords.srvr(unresolved, TIMEOUT).mode()).isEqualTo("standalone");
    }

    @Test
    void aClosedPortIsAnIoErrorAndRuokFalse() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        InetSocketAddress closed = new InetSocketAddress("127.0.0.1", port);
        assertThatThrownBy(() -> FourLetterWords.srvr(closed, TIMEOUT)).isInstanceOf(IOException.class);
        assertThat(FourLetterWords.ruok(closed, TIMEOUT)).isFalse();
    }

    @Test
    void aSilentServerMissesTheDeadline() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().name("silent-acceptor").start(() -> {
                try (Socket s = silent.accept()) {
                    s.getInputStream().read(new byte[4]);
                    Thread.sleep(Duration.ofSeconds(30));
                } catch (IOException | InterruptedException e) {
                    // closed by the test
                }
            });
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", silent.getLocalPort());
            assertThatThrownBy(() -> FourLetterWords.ask(address, "srvr", Duration.ofMillis(300)))
                    .isInstanceOf(SocketTimeoutException.class);
            acceptor.interrupt();
            acceptor.join();
        }
    }

    @Test
    void aRefusedWordIsNotAllowed() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().name("refusing-acceptor").start(() -> {
                try (Socket s = fake.accept()) {
                    s.getInputStream().read(new byte[4]);
                    s.getOutputStream()
                            .write("wchs is not executed because it is not in the whitelist.\n"
                                    .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the test failed elsewhere
                }
            });
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", fake.getLocalPort());
            assertThatThrownBy(() -> FourLetterWords.ask(address, "wchs", TIMEOUT))
                    .isInstanceOf(FourLetterWords.NotAllowed.class)
                    .hasMessageContaining("4lw.commands.whitelist")
                    .satisfies(e ->
                            assertThat(((FourLetterWords.NotAllowed) e).word()).isEqualTo("wchs"));
            acceptor.join();
        }
    }

    @Test
    void badWordsAndConnectStrings() {
        assertThatThrownBy(() -> FourLetterWords.ask(new InetSocketAddress("127.0.0.1", 1), "SRVR", TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(FourLetterWords.servers("a:1,b,[::1]:3/x"))
                .extracting(InetSocketAddress::getHostString, InetSocketAddress::getPort)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a", 1),
                        org.assertj.core.groups.Tuple.tuple("b", 2181),
                        org.assertj.core.groups.Tuple.tuple("::1", 3));
        assertThatThrownBy(() -> FourLetterWords.servers("a:x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FourLetterWords.servers("/chroot")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerStats.parse("This ZooKeeper instance is not currently serving requests"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of()).isEmpty();
    }
}
