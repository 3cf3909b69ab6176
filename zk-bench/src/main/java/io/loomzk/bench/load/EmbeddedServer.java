package io.loomzk.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A ZooKeeper server in a child JVM ({@link ServerMain}) started from this JVM's own class path,
 * so the clients under test have this process to themselves. The child stops when this process
 * closes its standard input, on {@link #close()} or when this process exits in any way.
 */
final class EmbeddedServer implements AutoCloseable {
    private static final long START_TIMEOUT_SECONDS = 60;

    /**
     * The server's connection factory ({@code zookeeper.serverCnxnFactory}). NIO is ZooKeeper's
     * default; it takes one request off a connection per pass of its selector, which caps what
     * any one connection gets at that loop's pace. Netty (which TLS requires) handles every
     * request that one read brought in.
     */
    enum CnxnFactory {
        NIO("NIO", "org.apache.zookeeper.server.NIOServerCnxnFactory"),
        NETTY("Netty", "org.apache.zookeeper.server.NettyServerCnxnFactory");

        final String label;
        final String className;

        CnxnFactory(String label, String className) {
            this.label = label;
            this.className = className;
        }

        static CnxnFactory parse(String s) {
            return switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "nio" -> NIO;
                case "netty" -> NETTY;
                default -> throw new IllegalArgumentException("--server-cnxn takes nio or netty: " + s);
            };
        }
    }

    private final Process process;
    private final String connectString;
    private final Thread shutdownHook;

    private EmbeddedServer(Process process, String connectString) {
        this.process = process;
        this.connectString = connectString;
        this.shutdownHook = new Thread(process::destroy, "zk-bench-server-reaper");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts the server and blocks until it serves.
     *
     * @param log where the child's standard error goes
     * @param factory the server's connection factory
     * @throws IOException if it cannot start or does not report ready within a minute
     */
    static EmbeddedServer start(Path log, CnxnFactory factory) throws IOException, InterruptedException {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(List.of(
                java,
                "-Xms512m",
                "-Xmx1g",
                "-XX:+UseG1GC",
                "-Dzookeeper.serverCnxnFactory=" + factory.className,
                "-cp",
                System.getProperty("java.class.path"),
                ServerMain.class.getName()));
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
                .start();
        BlockingQueue<String> lines = new ArrayBlockingQueue<>(1);
        Thread reader = Thread.ofVirtual().name("zk-bench-server-stdout").start(() -> {
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                boolean reported = false;
                while ((line = out.readLine()) != null) {
                    if (!reported && line.startsWith("READY ")) {
                        lines.offer(line.substring("READY ".length()).trim());
                        reported = true;
                    }
                }
            } catch (IOException ignored) {
                // the child is gone; the wait below reports it
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        String connect = null;
        while (connect == null && process.isAlive() && System.nanoTime() < deadline) {
            connect = lines.poll(200, TimeUnit.MILLISECONDS);
        }
        if (connect == null) {
            process.destroyForcibly();
            reader.interrupt();
            throw new IOException("the embedded ZooKeeper server did not start"
                    + (process.isAlive() ? " within " + START_TIMEOUT_SECONDS + " s" : "") + "; its log: "
                    + log.toAbsolutePath());
        }
        return new EmbeddedServer(process, connect);
    }

    String connectString() {
        return connectString;
    }

    long pid() {
        return process.pid();
    }

    /** Stops the child (closing its standard input) and waits for it, at most 20 s. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // shutting down already
        }
    }
}
