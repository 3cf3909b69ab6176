package io.loomzk.bench.load;

import io.loomzk.testing.ZkServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The main class of the child JVM that {@link EmbeddedServer} starts: zk-testing's
 * {@link ZkServer} (a real standalone ZooKeeper 3.9 on a free loopback port, no fsync), run
 * in-process here. It prints {@code READY host:port} once it serves, then runs until its
 * standard input ends (the parent closed it, or died), and removes its data.
 *
 * <p>It runs in its own JVM so that the load tool's process CPU time and allocation counters
 * belong to the clients under test alone.
 */
public final class ServerMain {
    private ServerMain() {}

    public static void main(String[] args) throws Exception {
        try (ZkServer server = ZkServer.builder()
                .tickTime(Duration.ofSeconds(2)) // ZooKeeper's default: sessions of 4 s to 60 s
                .property("maxClientCnxns", "0")
                .start()) {
            System.out.println("READY " + server.connectString());
            System.out.flush();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                while (in.readLine() != null) {
                    // nothing to do: runs until the parent closes standard input
                }
            }
        }
        System.exit(0);
    }
}
