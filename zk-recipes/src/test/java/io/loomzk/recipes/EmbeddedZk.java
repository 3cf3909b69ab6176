package io.loomzk.recipes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/** TEMPORARY: an in-process standalone server until zk-testing's ZkServer lands on main. */
final class EmbeddedZk implements AutoCloseable {
    private final ZooKeeperServerEmbedded server;
    private final int port;

    private EmbeddedZk(ZooKeeperServerEmbedded server, int port) {
        this.server = server;
        this.port = port;
    }

    static EmbeddedZk start() {
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path dir = Files.createTempDirectory("loomzk-recipes-zk");
            Properties p = new Properties();
            p.setProperty("tickTime", "200");
            p.setProperty("clientPort", Integer.toString(port));
            p.setProperty("clientPortAddress", "127.0.0.1");
            p.setProperty("dataDir", dir.resolve("data").toString());
            p.setProperty("4lw.commands.whitelist", "*");
            p.setProperty("admin.enableServer", "false");
            p.setProperty("maxSessionTimeout", "20000");
            System.setProperty("zookeeper.admin.enableServer", "false");
            System.setProperty("zookeeper.forceSync", "no");
            ZooKeeperServerEmbedded server = ZooKeeperServerEmbedded.builder()
                    .baseDir(dir)
                    .configuration(p)
                    .exitHandler(ExitHandler.LOG_ONLY)
                    .build();
            server.start(20_000);
            return new EmbeddedZk(server, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String connectString() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.close();
    }
}
