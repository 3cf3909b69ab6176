package io.loomzk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.Test;

class ZkServerIT {

    @Test
    void inProcessServerKeepsItsPortAndDataAcrossStopAndRestart() throws Exception {
        long started = System.nanoTime();
        try (ZkServer server = ZkServer.start()) {
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
            assertThat(server.isChildProcess()).isFalse();
            int port = server.port();
            try (ApacheClient c = ApacheClient.connect(server.connectString())) {
                create(c, "/kept", "v1");
            }

            server.stop();
            assertThat(server.isRunning()).isFalse();
            assertThat(accepts(port)).isFalse();

            server.restart();
            assertThat(server.port()).isEqualTo(port);
            try (ApacheClient c = ApacheClient.connect(server.connectString())) {
                assertThat(read(c, "/kept")).isEqualTo("v1");
            }
        }
    }

    @Test
    void restartOfARunningServerDropsItsClientsButKeepsData() throws Exception {
        try (ZkServer server = ZkServer.start();
                ApacheClient c = ApacheClient.connect(server.connectString())) {
            create(c, "/a", "1");
            server.restart();
            c.awaitState(org.apache.zookeeper.Watcher.Event.KeeperState.Disconnected, 10);
            c.awaitState(org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected, 10);
            assertThat(read(c, "/a")).isEqualTo("1");
        }
    }

    @Test
    void childServerKeepsDataAcrossKillAndRestart() throws Exception {
        try (ZkServer server = ZkServer.builder().childProcess().start()) {
            assertThat(server.isChildProcess()).isTrue();
            try (ApacheClient c = ApacheClient.connect(server.connectString())) {
                create(c, "/kept", "v1");
            }
            server.kill();
            assertThat(accepts(server.port())).isFalse();
            server.restart();
            try (ApacheClient c = ApacheClient.connect(server.connectString())) {
                assertThat(read(c, "/kept")).isEqualTo("v1");
            }
            assertThat(server.logFile())
                    .get()
                    .satisfies(log -> assertThat(Files.readString(log)).contains("binding to port"));
        }
    }

    @Test
    void closeDeletesTheDataAndKillsTheChild() throws Exception {
        ZkServer server = ZkServer.builder().childProcess().start();
        Path log = server.logFile().orElseThrow();
        String dataDir = dataDirOf(log);
        server.close();
        assertThat(accepts(server.port())).isFalse();
        assertThat(Path.of(dataDir)).doesNotExist();
        assertThatThrownBy(server::restart).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void killAndPauseNeedAChildProcess() {
        try (ZkServer server = ZkServer.start()) {
            assertThatThrownBy(server::kill)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("childProcess()");
            assertThatThrownBy(server::pause).isInstanceOf(IllegalStateException.class);
        }
    }

    static void create(ApacheClient c, String path, String data) throws Exception {
        c.zk.create(path, data.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    static String read(ApacheClient c, String path) throws Exception {
        return new String(c.zk.getData(path, false, null), StandardCharsets.UTF_8);
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String dataDirOf(Path log) throws IOException {
        String text = Files.readString(log);
        int i = text.indexOf(" -cp ");
        assertThat(i).isPositive();
        // The command line names the zoo.cfg, which sits next to the data directory.
        String cfg = text.lines()
                .filter(l -> l.startsWith("# "))
                .findFirst()
                .orElseThrow()
                .replaceAll(".* (\\S+zoo\\.cfg).*", "$1");
        return Path.of(cfg).getParent().toString();
    }
}
