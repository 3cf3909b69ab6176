package io.loomzk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The command line, and what the proxy does when its server is not there. No ZooKeeper needed. */
class ZkProxyCommandLineTest {

    @Test
    void listensWhereToldAndTracesToTheGivenSink() throws Exception {
        List<String> out = new CopyOnWriteArrayList<>();
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        try (ZkProxy proxy =
                ZkProxy.fromArgs(new String[] {"--listen", "0", "--forward", "127.0.0.1:" + deadPort}, out::add)) {
            assertThat(proxy.toString()).isEqualTo("zk-proxy:" + proxy.port() + " -> 127.0.0.1:" + deadPort);
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
                    InputStream in = client.getInputStream()) {
                // Nothing listens on the target: the proxy closes the client's connection.
                assertThat(in.read()).isEqualTo(-1);
            }
            awaitLine(out, "closed: server unreachable");
            assertThat(out).anyMatch(l -> l.contains("cannot reach 127.0.0.1:" + deadPort));
            assertThat(proxy.connectionCount()).isZero();
        }
    }

    @Test
    void rejectsBadArgumentsWithUsage() {
        assertThatThrownBy(() -> ZkProxy.fromArgs(new String[] {"--listen", "2182"}, l -> {}))
                .hasMessageContaining("--forward is required")
                .hasMessageContaining("usage: ZkProxy --listen <port> --forward <host:port>");
        assertThatThrownBy(() -> ZkProxy.fromArgs(new String[] {"--listen", "x", "--forward", "h:1"}, l -> {}))
                .hasMessageContaining("not a port: x");
        assertThatThrownBy(() -> ZkProxy.fromArgs(new String[] {"--bogus", "1"}, l -> {}))
                .hasMessageContaining("unknown argument --bogus");
        assertThatThrownBy(() -> ZkProxy.fromArgs(new String[] {"--forward"}, l -> {}))
                .hasMessageContaining("missing value after --forward");
        assertThatThrownBy(() -> ZkProxy.builder("a:1,b:2")).hasMessageContaining("exactly one host:port");
    }

    @Test
    void aFrameLengthAboveTheLimitEndsTheConnection() throws Exception {
        List<String> out = new CopyOnWriteArrayList<>();
        try (ServerSocket upstream = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ZkProxy proxy = ZkProxy.builder("127.0.0.1:" + upstream.getLocalPort())
                        .trace(out::add)
                        .maxFrameBytes(2 << 20)
                        .start();
                Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            try (Socket accepted = upstream.accept()) {
                client.getOutputStream().write(new byte[] {0x7f, 0, 0, 0});
                assertThat(client.getInputStream().read()).isEqualTo(-1);
                assertThat(accepted.getInputStream().read()).isEqualTo(-1);
            }
            awaitLine(out, "exceeds the maximum frame size of 2097152 bytes");
        }
    }

    private static void awaitLine(List<String> lines, String fragment) throws InterruptedException, IOException {
        for (int i = 0; i < 100 && lines.stream().noneMatch(l -> l.contains(fragment)); i++) {
            Thread.sleep(20);
        }
        assertThat(lines).anyMatch(l -> l.contains(fragment));
    }
}
