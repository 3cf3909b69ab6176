package io.loomzk.bench.load;

import io.loomzk.bench.Json;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The end of a run: the table, LoomZK's ratios against the other clients, the targets, the JSON. */
final class Report {
    /** The targets. */
    static final double THROUGHPUT_TARGET = 1.5;

    static final double CPU_TARGET = 1.0 / 3;
    static final double GETDATA_BYTES_TARGET = 400;
    static final double BYTES_PER_BLOCKED_CALLER_TARGET = 1536;

    final LoadOptions options;
    final String server;
    final List<RunResult> results;
    final MemoryMode.Result memory;
    final String startedAt = LoadTool.now();

    Report(LoadOptions options, String server, List<RunResult> results, MemoryMode.Result memory) {
        this.options = options;
        this.server = server;
        this.results = List.copyOf(results);
        this.memory = memory;
    }

    /**
     * LoomZK against the best other client at one workload and concurrency.
     *
     * @param bareWire the bare wire's run at the same level, or null if it did not run
     */
    record Comparison(
            Workload workload,
            int concurrency,
            RunResult loomzk,
            RunResult fastestOther,
            RunResult leanestOther,
            double throughputRatio,
            double cpuRatio,
            RunResult bareWire) {

        /** The bare wire's throughput over the fastest other client's; NaN without a bare-wire run. */
        double bareWireOverFastest() {
            return bareWire == null ? Double.NaN : bareWire.opsPerSecond() / fastestOther.opsPerSecond();
        }

        /** LoomZK's throughput over the bare wire's; NaN without a bare-wire run. */
        double loomzkOverBareWire() {
            return bareWire == null ? Double.NaN : loomzk.opsPerSecond() / bareWire.opsPerSecond();
        }
    }

    List<Comparison> comparisons() {
        List<Comparison> out = new ArrayList<>();
        for (Workload w : options.workloads()) {
            for (int c : options.concurrency()) {
                List<RunResult> here = results.stream()
                        .filter(r -> r.workload() == w && r.concurrency() == c)
                        .toList();
                Optional<RunResult> ours =
                        here.stream().filter(RunResult::loomzk).findFirst();
                List<RunResult> others = here.stream()
                        .filter(r -> !r.loomzk() && !r.reference() && r.ops() > 0)
                        .toList();
                if (ours.isEmpty() || others.isEmpty() || ours.get().ops() == 0) {
                    continue;
                }
                RunResult fastest = others.stream()
                        .max(Comparator.comparingDouble(RunResult::opsPerSecond))
                        .orElseThrow();
                RunResult leanest = others.stream()
                        .min(Comparator.comparingDouble(RunResult::cpuMicrosPerOp))
                        .orElseThrow();
                RunResult bareWire = here.stream()
                        .filter(r -> r.reference() && r.ops() > 0)
                        .findFirst()
                        .orElse(null);
                out.add(new Comparison(
                        w,
                        c,
                        ours.get(),
                        fastest,
                        leanest,
                        ours.get().opsPerSecond() / fastest.opsPerSecond(),
                        ours.get().cpuMicrosPerOp() / leanest.cpuMicrosPerOp(),
                        bareWire));
            }
        }
        return out;
    }

    void printTable(PrintStream out) {
        if (!results.isEmpty()) {
            out.printf(
                    Locale.ROOT,
                    "%d B of data; each client measured for %s s per level, in %d interleaved slices"
                            + " after %s s of warmup; server: %s%n%n",
                    options.size(),
                    seconds(options.duration().toMillis()),
                    options.rounds(),
                    seconds(options.warmup().toMillis()),
                    server);
            String header = String.format(
                    Locale.ROOT,
                    "%-13s %7s  %-22s %11s %9s %9s %9s %10s %9s %7s",
                    "Workload",
                    "Callers",
                    "Client",
                    "ops/s",
                    "p50 ms",
                    "p99 ms",
                    "p99.9 ms",
                    "CPU µs/op",
                    "B/op",
                    "Errors");
            out.println(header);
            out.println("-".repeat(header.length()));
            Workload lastW = null;
            int lastC = -1;
            for (RunResult r : results) {
                boolean newGroup = r.workload() != lastW || r.concurrency() != lastC;
                if (newGroup && lastW != null) {
                    out.println();
                }
                out.printf(
                        Locale.ROOT,
                        "%-13s %7s  %-22s %,11.0f %9.3f %9.3f %9.3f %10.1f %,9.0f %7d%n",
                        newGroup && r.workload() != lastW ? r.workload().label : "",
                        newGroup ? String.format(Locale.ROOT, "%,d", r.concurrency()) : "",
                        r.clientLabel(),
                        r.opsPerSecond(),
                        r.p50Micros() / 1e3,
                        r.p99Micros() / 1e3,
                        r.p999Micros() / 1e3,
                        r.cpuMicrosPerOp(),
                        r.bytesPerOp(),
                        r.errors());
                lastW = r.workload();
                lastC = r.concurrency();
            }
            if (results.stream().anyMatch(RunResult::reference)) {
                out.println();
                out.println(
                        "bare wire: not a client, and left out of every ratio below. One socket, one platform thread,");
                out.println(
                        "  requests built once, replies read only as far as their header: what the server gives one");
                out.println("  connection when the client costs next to nothing (a reference, not a strict bound).");
            }
            List<RunResult> failing =
                    results.stream().filter(r -> r.firstError() != null).toList();
            for (RunResult r : failing) {
                out.printf(
                        Locale.ROOT,
                        "  %s, %d callers, %s: first error: %s%n",
                        r.workload().label,
                        r.concurrency(),
                        r.clientLabel(),
                        r.firstError());
            }
            List<Comparison> comparisons = comparisons();
            if (!comparisons.isEmpty()) {
                out.println();
                out.println("LoomZK / best other client (throughput: vs the fastest; CPU per op: vs the leanest):");
                for (Comparison c : comparisons) {
                    out.printf(
                            Locale.ROOT,
                            "  %-13s %,7d callers: throughput %5.2fx (vs %s), CPU/op %5.2fx (vs %s), %,.0f vs %,.0f B/op%n",
                            c.workload().label,
                            c.concurrency(),
                            c.throughputRatio(),
                            c.fastestOther().clientLabel(),
                            c.cpuRatio(),
                            c.leanestOther().clientLabel(),
                            c.loomzk().bytesPerOp(),
                            c.leanestOther().bytesPerOp());
                    if (c.bareWire() != null) {
                        out.printf(
                                Locale.ROOT,
                                "  %-13s %7s          the bare wire is %.2fx the fastest client; LoomZK reaches %.0f%% of it%n",
                                "",
                                "",
                                c.bareWireOverFastest(),
                                100 * c.loomzkOverBareWire());
                    }
                }
                out.println();
                printTargets(out, comparisons);
            }
        }
        if (memory != null) {
            out.println();
            memory.print(out);
            out.printf(
                    Locale.ROOT,
                    "  Target: at most %,.0f B of heap per blocked caller: %,.0f B, %s%n",
                    BYTES_PER_BLOCKED_CALLER_TARGET,
                    memory.loomzkBytesPerCaller(),
                    memory.loomzkBytesPerCaller() <= BYTES_PER_BLOCKED_CALLER_TARGET ? "met" : "NOT met");
        }
    }

    private static void printTargets(PrintStream out, List<Comparison> comparisons) {
        if (comparisons.stream()
                .noneMatch(c -> c.concurrency() == 1 || c.concurrency() == 32 || c.concurrency() == 1000)) {
            return;
        }
        out.println("Targets (issue 7, this machine; the server shares the cores):");
        for (Comparison c : comparisons) {
            if (c.concurrency() == 1) {
                out.printf(
                        Locale.ROOT,
                        "  %-13s 1 caller: no slower than the fastest other client: %.2fx, %s%n",
                        c.workload().label,
                        c.throughputRatio(),
                        c.throughputRatio() >= 1.0
                                ? "met"
                                : c.throughputRatio() >= 0.95 ? "within 5% (noise level here)" : "NOT met");
            } else if (c.concurrency() == 32 || c.concurrency() == 1000) {
                String throughput = c.throughputRatio() >= THROUGHPUT_TARGET ? "met" : "NOT met";
                if (c.throughputRatio() < THROUGHPUT_TARGET && c.bareWireOverFastest() < THROUGHPUT_TARGET) {
                    throughput += String.format(Locale.ROOT, " (the bare wire itself: %.2fx)", c.bareWireOverFastest());
                }
                out.printf(
                        Locale.ROOT,
                        "  %-13s %,d callers: throughput >= %.1fx: %.2fx %s; CPU/op <= 1/3: %.2fx %s",
                        c.workload().label,
                        c.concurrency(),
                        THROUGHPUT_TARGET,
                        c.throughputRatio(),
                        throughput,
                        c.cpuRatio(),
                        c.cpuRatio() <= CPU_TARGET ? "met" : "NOT met");
                if (c.workload() == Workload.GET_DATA) {
                    out.printf(
                            Locale.ROOT,
                            "; <= %.0f B/op: %,.0f %s",
                            GETDATA_BYTES_TARGET,
                            c.loomzk().bytesPerOp(),
                            c.loomzk().bytesPerOp() <= GETDATA_BYTES_TARGET ? "met" : "NOT met");
                }
                out.println();
            }
        }
    }

    String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("tool", "zk-bench load");
        root.put("startedAt", startedAt);
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("java", Runtime.version().toString());
        env.put("vm", System.getProperty("java.vm.name"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.put("cores", Runtime.getRuntime().availableProcessors());
        env.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
        env.put("server", server);
        env.put(
                "measurement",
                "client CPU = this process's CPU time (the server runs elsewhere); allocation ="
                        + " ThreadMXBean.getTotalThreadAllocatedBytes (counts virtual threads through their carriers)");
        root.put("environment", env);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("workloads", options.workloads().stream().map(w -> w.label).toList());
        settings.put("concurrency", options.concurrency());
        settings.put("sizeBytes", options.size());
        settings.put("durationSeconds", options.duration().toMillis() / 1e3);
        settings.put("warmupSeconds", options.warmup().toMillis() / 1e3);
        settings.put("rounds", options.rounds());
        settings.put("sessionTimeoutSeconds", options.sessionTimeout().toMillis() / 1e3);
        if (options.connect() == null) {
            settings.put("serverCnxnFactory", options.serverCnxn().className);
        }
        settings.put("tls", options.tls());
        root.put("settings", settings);
        root.put("runs", results.stream().map(RunResult::toJson).toList());
        List<Object> comps = new ArrayList<>();
        for (Comparison c : comparisons()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workload", c.workload().label);
            m.put("concurrency", c.concurrency());
            m.put("throughputRatio", c.throughputRatio());
            m.put("vsFastest", c.fastestOther().clientId());
            m.put("cpuPerOpRatio", c.cpuRatio());
            m.put("vsLeanest", c.leanestOther().clientId());
            m.put("loomzkBytesPerOp", c.loomzk().bytesPerOp());
            if (c.bareWire() != null) {
                m.put("bareWireOverFastest", c.bareWireOverFastest());
                m.put("loomzkOverBareWire", c.loomzkOverBareWire());
            }
            comps.add(m);
        }
        root.put("loomzkVsOthers", comps);
        if (memory != null) {
            root.put("memory", memory.toJson());
        }
        return Json.write(root);
    }

    static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(Locale.ROOT, "%.1f", millis / 1e3);
    }
}
