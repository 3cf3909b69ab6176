package io.loomzk.testing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The configuration every zk-testing server shares, and how to write it as a {@code zoo.cfg}. */
public final class ServerSettings {
    /** The ZooKeeper main class of a standalone child server. */
    public static final String STANDALONE_MAIN = "org.apache.zookeeper.server.ZooKeeperServerMain";

    /** The ZooKeeper main class of an ensemble member. */
    public static final String QUORUM_MAIN = "org.apache.zookeeper.server.quorum.QuorumPeerMain";

    private ServerSettings() {}

    /**
     * The {@code zoo.cfg} entries of a server on {@code 127.0.0.1:clientPort} storing into
     * {@code dataDir}: admin server off, every four-letter word allowed, no fsync, sessions up to
     * at least a minute, then {@code extra} (which may override any of these).
     */
    public static Map<String, String> base(Duration tickTime, Path dataDir, int clientPort, Map<String, String> extra) {
        Map<String, String> cfg = new LinkedHashMap<>();
        long tick = tickTime.toMillis();
        cfg.put("tickTime", Long.toString(tick));
        cfg.put("dataDir", dataDir.toAbsolutePath().toString());
        cfg.put("clientPort", Integer.toString(clientPort));
        cfg.put("clientPortAddress", "127.0.0.1");
        cfg.put("maxSessionTimeout", Long.toString(Math.max(60_000, 20 * tick)));
        cfg.put("admin.enableServer", "false");
        cfg.put("4lw.commands.whitelist", "*");
        // Test data need not survive a machine crash; skipping fsync keeps a shared disk usable.
        cfg.put("forceSync", "no");
        cfg.putAll(extra);
        return cfg;
    }

    /** JVM options of every child server: logging to stdout through slf4j-simple. */
    public static List<String> childJvmOptions(List<String> extra) {
        List<String> options = new ArrayList<>(List.of(
                "-Dorg.slf4j.simpleLogger.logFile=System.out",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-Dzookeeper.jmx.log4j.disable=true",
                // Fail fast when a peer's election port is dead or paused.
                "-Dzookeeper.cnxTimeout=1000"));
        options.addAll(extra);
        return options;
    }

    /** Writes {@code cfg} to {@code file} as {@code key=value} lines. */
    public static void write(Path file, Map<String, String> cfg) {
        StringBuilder text = new StringBuilder("# Written by zk-testing\n");
        cfg.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
