package io.loomzk.bench.load;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.ZkClient;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The load tool: LoomZK and the official ZooKeeper client (sync API on virtual threads, async
 * API) side by side against the same server, one run at a time, with throughput, latency, and
 * the client's own CPU and allocation per op. See {@link LoadOptions#USAGE}.
 */
public final class LoadTool {
    /** LoomZK logs session events through System.Logger (JUL by default); the tool prints its own. */
    private static final java.util.logging.Logger LOOMZK_LOG = java.util.logging.Logger.getLogger("io.loomzk");

    private LoadTool() {}

    public static void main(String[] args) throws Exception {
        LoadOptions o;
        try {
            if (List.of(args).contains("-h") || List.of(args).contains("--help")) {
                System.out.print(LoadOptions.USAGE);
                return;
            }
            o = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("zk-bench: " + e.getMessage());
            System.err.print(LoadOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(run(o, System.out));
    }

    static int run(LoadOptions o, PrintStream out) throws Exception {
        long started = System.nanoTime();
        LOOMZK_LOG.setLevel(java.util.logging.Level.WARNING);
        Progress progress = new Progress(out, Progress.stdoutIsTerminal());
        Files.createDirectories(o.out());
        EmbeddedServer server = null;
        try {
            String connect = o.connect();
            String serverLabel;
            if (connect == null) {
                progress.println("Starting an embedded ZooKeeper 3.9 server in a child JVM ...");
                server = EmbeddedServer.start(o.out().resolve("server.log"), o.serverCnxn());
                connect = server.connectString();
                serverLabel = "embedded ZooKeeper "
                        + org.apache.zookeeper.Version.getFullVersion().split("[- ]")[0] + " (child JVM, "
                        + o.serverCnxn().label + " connection factory, no fsync) at " + connect;
            } else {
                serverLabel = connect;
            }
            progress.println("Server: " + serverLabel);
            progress.println(String.format(
                    "Client JVM: Java %s, %d cores, max heap %d MiB",
                    Runtime.version(),
                    Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20));

            List<List<RunResult>> results = new ArrayList<>();
            MemoryMode.Result memory = null;
            if (!o.memoryOnly()) {
                results = runLoad(o, connect, progress);
                if (o.workloads().contains(Workload.CACHE)) {
                    CacheMode.run(o, connect, progress, out);
                }
            }
            if (o.memory()) {
                memory = MemoryMode.run(o, connect, progress);
            }

            Report report = Report.repeated(o, serverLabel, results, memory);
            progress.println("");
            report.printTable(out);
            Path json = o.out().resolve("results.json");
            Path svg = o.out().resolve("results.svg");
            Files.writeString(json, report.json(), StandardCharsets.UTF_8);
            boolean charted = !report.results.isEmpty();
            if (charted) {
                Files.writeString(svg, SvgChart.render(report), StandardCharsets.UTF_8);
            }
            out.println();
            out.println("Results: " + json.toAbsolutePath() + (charted ? "\nChart:   " + svg.toAbsolutePath() : ""));
            out.printf("Total time: %.0f s%n", (System.nanoTime() - started) / 1e9);
            return 0;
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /** Runs the whole comparison {@code --repeat} times; returns each repetition's results. */
    private static List<List<RunResult>> runLoad(LoadOptions o, String connect, Progress progress) throws Exception {
        List<Contender> contenders = contenders(o);
        String root = "/loomzk-bench-"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        byte[] data = new byte[o.size()];
        ThreadLocalRandom.current().nextBytes(data);
        BenchTree tree = BenchTree.under(root, data);
        Runner runner = new Runner(connect, o.sessionTimeout(), progress, o.handovers(), o.recipeDeadline());
        List<List<RunResult>> results = new ArrayList<>();
        try (ZkClient setup = ZkClient.builder(connect).build()) {
            setup.create(tree.root(), new byte[0], CreateOptions.persistent());
            setup.create(tree.readPath(), data, CreateOptions.persistent());
            setup.create(tree.writePath(), data, CreateOptions.persistent());
            setup.create(tree.createParent(), new byte[0], CreateOptions.persistent());
            setup.create(tree.lockPath(), new byte[0], CreateOptions.persistent());
        }
        try {
            // JIT warmup: each client runs the first workload it supports, unmeasured.
            if (!o.jitWarmup().isZero()) {
                int c = Math.min(
                        32,
                        o.concurrency().stream()
                                .mapToInt(Integer::intValue)
                                .max()
                                .orElse(32));
                for (Contender k : contenders) {
                    Workload w = o.workloads().stream()
                            .filter(k::supports)
                            .findFirst()
                            .orElse(null);
                    if (w != null) {
                        runner.warm(k, w, c, tree, o.jitWarmup());
                    }
                }
            }
            // the level counter runs on over the repetitions, so the clients' order keeps rotating
            int level = 0;
            for (int run = 1; run <= o.repeat(); run++) {
                if (o.repeat() > 1) {
                    progress.println("Run " + run + " of " + o.repeat() + ":");
                }
                List<RunResult> these = new ArrayList<>();
                for (Workload w : o.workloads()) {
                    for (int c : o.concurrency()) {
                        List<Contender> here =
                                contenders.stream().filter(k -> k.supports(w)).toList();
                        if (!here.isEmpty()) {
                            these.addAll(
                                    runner.runLevel(here, w, c, tree, o.warmup(), o.duration(), o.rounds(), level++));
                        }
                    }
                }
                results.add(these);
            }
        } finally {
            try (ZkClient cleanup = ZkClient.builder(connect).build()) {
                cleanup.deleteRecursive(tree.root());
            } catch (RuntimeException e) {
                progress.println("Could not remove " + tree.root() + ": " + e);
            }
        }
        return results;
    }

    static List<Contender> contenders(LoadOptions o) {
        List<Contender> all = new ArrayList<>(List.of(
                new LoomzkContender(),
                new OfficialSyncContender(OfficialSessions.Socket.NIO),
                new OfficialAsyncContender(OfficialSessions.Socket.NIO),
                new OfficialSyncContender(OfficialSessions.Socket.NETTY),
                new OfficialAsyncContender(OfficialSessions.Socket.NETTY),
                new CuratorLockContender(),
                new BareWireContender()));
        Map<String, Contender> byId = new LinkedHashMap<>();
        for (Contender c : all) {
            byId.put(c.id(), c);
        }
        if (o.clients().contains("all")) {
            return all;
        }
        if (o.clients().isEmpty()) {
            // The official sync API over Netty is left out by default to keep the default run
            // short: in every run here it was slower than the async API over Netty.
            return all.stream()
                    .filter(c -> !c.id().equals("official-sync-netty"))
                    .toList();
        }
        for (String id : o.clients()) {
            if (!byId.containsKey(id)) {
                throw new IllegalArgumentException(
                        "unknown client '" + id + "' (" + String.join(", ", byId.keySet()) + ", all)");
            }
        }
        return all.stream().filter(c -> o.clients().contains(c.id())).toList();
    }

    static String now() {
        return Instant.now().toString();
    }
}
