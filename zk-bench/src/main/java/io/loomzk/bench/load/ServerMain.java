package io.loomzk.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * The main class of the child JVM that {@link EmbeddedServer} starts: a real standalone ZooKeeper
 * server on a free loopback port. It prints {@code READY host:port} once it serves, then runs
 * until its standard input ends (the parent closed it, or died) and removes its data.
 *
 * <p>It runs in its own JVM so that the load tool's process CPU time and allocation counters
 * belong to the clients under test alone.
 */
public final class ServerMain {
    private ServerMain() {}

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("loomzk-bench-zk-");
        // The embedded server measures clients, not disks: no fsync per transaction.
        System.setProperty("zookeeper.forceSync", "no");
        System.setProperty("zookeeper.admin.enableServer", "false");
        ZooKeeperServerEmbedded server = null;
        Exception last = null;
        for (int attempt = 0; attempt < 3 && server == null; attempt++) {
            Properties config = new Properties();
            config.setProperty("clientPort", Integer.toString(freePort()));
            config.setProperty("clientPortAddress", "127.0.0.1");
            config.setProperty("tickTime", "2000");
            config.setProperty("maxClientCnxns", "0");
            config.setProperty("admin.enableServer", "false");
            try {
                Path base = Files.createDirectories(dir.resolve("attempt-" + attempt));
                ZooKeeperServerEmbedded candidate = ZooKeeperServerEmbedded.builder()
                        .baseDir(base)
                        .configuration(config)
                        .exitHandler(ExitHandler.LOG_ONLY)
                        .build();
                candidate.start(20_000);
                server = candidate;
            } catch (Exception e) {
                last = e; // most likely the free port was taken meanwhile
            }
        }
        if (server == null) {
            deleteTree(dir);
            throw last;
        }
        System.out.println("READY 127.0.0.1:" + server.getClientPort());
        System.out.flush();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            while (in.readLine() != null) {
                // nothing to do: runs until the parent closes standard input
            }
        } finally {
            server.close();
            deleteTree(dir);
        }
        System.exit(0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort: a temporary directory
        }
    }
}
