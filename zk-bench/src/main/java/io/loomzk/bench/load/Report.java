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

/**
 * The end of a run: the table, LoomZK's ratios against the other clients and the bare wire, the
 * targets, the JSON. With {@code --repeat N} the whole comparison ran N times, and every figure is
 * also given as its median and range over the N runs.
 */
final class Report {
    /** Issue 21's targets: against the official client's best mode and the bare wire. */
    static final double THROUGHPUT_TARGET = 1.0;

    static final double BARE_WIRE_THROUGHPUT_TARGET = 0.9;
    static final double BARE_WIRE_CPU_TARGET = 1.5;
    static final double BYTES_PER_BLOCKED_CALLER_TARGET = 800;
    /** Issue 18's bar for the recipes against Curator. */
    static final double RECIPE_THROUGHPUT_TARGET = 1.2;

    static final double RECIPE_CPU_TARGET = 0.6;

    final LoadOptions options;
    final String server;
    /** Every run's results, one list per repetition of the whole comparison. */
    final List<List<RunResult>> repeats;
    /** All results, the repetitions one after the other. */
    final List<RunResult> results;

    final MemoryMode.Result memory;
    final String startedAt = LoadTool.now();

    /** A report of one run of the comparison. */
    Report(LoadOptions options, String server, List<RunResult> results, MemoryMode.Result memory) {
        this(options, server, memory, List.of(List.copyOf(results)));
    }

    private Report(LoadOptions options, String server, MemoryMode.Result memory, List<List<RunResult>> repeats) {
        this.options = options;
        this.server = server;
        this.repeats = repeats.stream().map(List::copyOf).toList();
        this.results = this.repeats.stream().flatMap(List::stream).toList();
        this.memory = memory;
    }

    /** A report of {@code repeats.size()} runs of the comparison. */
    static Report repeated(
            LoadOptions options, String server, List<List<RunResult>> repeats, MemoryMode.Result memory) {
        return new Report(options, server, memory, repeats.isEmpty() ? List.of(List.of()) : repeats);
    }

    /** Whether the comparison ran more than once. */
    boolean isRepeated() {
        return repeats.size() > 1;
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

        /** LoomZK's CPU per op over the bare wire's; NaN without a bare-wire run. */
        double cpuOverBareWire() {
            return bareWire == null ? Double.NaN : loomzk.cpuMicrosPerOp() / bareWire.cpuMicrosPerOp();
        }
    }

    /** Every run's comparisons, the repetitions one after the other. */
    List<Comparison> comparisons() {
        return comparisonsByRepeat().stream().flatMap(List::stream).toList();
    }

    /** The comparisons of each repetition. */
    List<List<Comparison>> comparisonsByRepeat() {
        return repeats.stream().map(this::comparisons).toList();
    }

    private List<Comparison> comparisons(List<RunResult> run) {
        List<Comparison> out = new ArrayList<>();
        for (Workload w : options.workloads()) {
            for (int c : options.concurrency()) {
                List<RunResult> here = run.stream()
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

    /**
     * One client at one workload and level over every repetition.
     *
     * @param first its result in the first repetition that ran it (labels, flags)
     */
    record ClientSummary(
            RunResult first,
            Spread opsPerSecond,
            Spread cpuMicrosPerOp,
            Spread p99Micros,
            Spread bytesPerOp,
            long errors) {

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workload", first.workload().label);
            m.put("concurrency", first.concurrency());
            m.put("client", first.clientId());
            m.put("clientLabel", first.clientLabel());
            if (first.reference()) {
                m.put("reference", true);
            }
            m.put("opsPerSecond", opsPerSecond.toJson());
            m.put("cpuMicrosPerOp", cpuMicrosPerOp.toJson());
            m.put("p99Micros", p99Micros.toJson());
            m.put("allocatedBytesPerOp", bytesPerOp.toJson());
            m.put("errors", errors);
            return m;
        }
    }

    /**
     * LoomZK's ratios at one workload and level over every repetition, each taken within its run.
     *
     * @param vsFastest the clients that were fastest among the others, over the runs
     * @param vsLeanest the clients that were leanest among the others, over the runs
     */
    record RatioSummary(
            Workload workload,
            int concurrency,
            Spread throughputRatio,
            Spread cpuRatio,
            Spread loomzkOverBareWire,
            Spread cpuOverBareWire,
            Spread bareWireOverFastest,
            List<String> vsFastest,
            List<String> vsLeanest) {

        boolean hasBareWire() {
            return !loomzkOverBareWire.isEmpty();
        }

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("workload", workload.label);
            m.put("concurrency", concurrency);
            m.put("throughputRatio", throughputRatio.toJson());
            m.put("vsFastest", vsFastest);
            m.put("cpuPerOpRatio", cpuRatio.toJson());
            m.put("vsLeanest", vsLeanest);
            if (hasBareWire()) {
                m.put("loomzkOverBareWire", loomzkOverBareWire.toJson());
                m.put("cpuOverBareWire", cpuOverBareWire.toJson());
                m.put("bareWireOverFastest", bareWireOverFastest.toJson());
            }
            return m;
        }
    }

    /** Every client at every workload and level, in the order of the first run, over the repetitions. */
    List<ClientSummary> clientSummaries() {
        Map<String, List<RunResult>> byKey = new LinkedHashMap<>();
        for (RunResult r : results) {
            byKey.computeIfAbsent(
                            r.workload().label + "/" + r.concurrency() + "/" + r.clientId(), k -> new ArrayList<>())
                    .add(r);
        }
        List<ClientSummary> out = new ArrayList<>();
        for (List<RunResult> rs : byKey.values()) {
            out.add(new ClientSummary(
                    rs.getFirst(),
                    spread(rs, RunResult::opsPerSecond),
                    spread(rs, RunResult::cpuMicrosPerOp),
                    spread(rs, RunResult::p99Micros),
                    spread(rs, RunResult::bytesPerOp),
                    rs.stream().mapToLong(RunResult::errors).sum()));
        }
        return out;
    }

    /** LoomZK's ratios at every workload and level, over the repetitions. */
    List<RatioSummary> ratioSummaries() {
        Map<String, List<Comparison>> byKey = new LinkedHashMap<>();
        for (Comparison c : comparisons()) {
            byKey.computeIfAbsent(c.workload().label + "/" + c.concurrency(), k -> new ArrayList<>())
                    .add(c);
        }
        List<RatioSummary> out = new ArrayList<>();
        for (List<Comparison> cs : byKey.values()) {
            out.add(new RatioSummary(
                    cs.getFirst().workload(),
                    cs.getFirst().concurrency(),
                    spread(cs, Comparison::throughputRatio),
                    spread(cs, Comparison::cpuRatio),
                    spread(cs, Comparison::loomzkOverBareWire),
                    spread(cs, Comparison::cpuOverBareWire),
                    spread(cs, Comparison::bareWireOverFastest),
                    cs.stream().map(c -> c.fastestOther().clientId()).distinct().toList(),
                    cs.stream().map(c -> c.leanestOther().clientId()).distinct().toList()));
        }
        return out;
    }

    /**
     * What the chart draws: each client's result at each workload and level, with throughput, CPU,
     * p99 and bytes per op replaced by their medians over the repetitions (the one run's own
     * figures without {@code --repeat}).
     */
    List<RunResult> medianResults() {
        if (!isRepeated()) {
            return results;
        }
        List<RunResult> out = new ArrayList<>();
        for (ClientSummary s : clientSummaries()) {
            RunResult f = s.first();
            out.add(new RunResult(
                    f.workload(),
                    f.concurrency(),
                    f.clientId(),
                    f.clientLabel(),
                    f.loomzk(),
                    f.reference(),
                    Math.round(s.opsPerSecond().median()),
                    1.0,
                    f.p50Micros(),
                    s.p99Micros().median(),
                    f.p999Micros(),
                    f.maxMicros(),
                    s.cpuMicrosPerOp().median(),
                    s.bytesPerOp().median(),
                    f.gcCount(),
                    s.errors(),
                    f.firstError(),
                    f.window()));
        }
        return out;
    }

    /** The throughput range of a client at a level over the repetitions ({@link Spread#EMPTY} if it did not run). */
    Spread throughputSpread(Workload w, int concurrency, String clientId) {
        return spread(
                results.stream()
                        .filter(r -> r.workload() == w
                                && r.concurrency() == concurrency
                                && r.clientId().equals(clientId))
                        .toList(),
                RunResult::opsPerSecond);
    }

    private static <T> Spread spread(List<T> items, java.util.function.ToDoubleFunction<T> f) {
        return Spread.of(items.stream().mapToDouble(f).toArray());
    }

    void printTable(PrintStream out) {
        if (isRepeated()) {
            printRepeated(out);
        } else {
            printSingle(out);
        }
        printMemory(out);
    }

    private void printRepeated(PrintStream out) {
        if (results.isEmpty()) {
            return;
        }
        out.printf(
                Locale.ROOT,
                "%d runs of the whole comparison, each with every client side by side; median (min–max) over the"
                        + " runs.%n%d B of data; %s; server: %s%n%n",
                repeats.size(),
                options.size(),
                windowDescription(),
                server);
        List<RatioSummary> ratios = ratioSummaries();
        if (!ratios.isEmpty()) {
            printRatios(out, ratios);
            out.println();
        }
        String header = String.format(
                Locale.ROOT,
                "%-13s %7s  %-22s %-27s %-25s %9s %9s %7s",
                "Workload",
                "Callers",
                "Client",
                "ops/s",
                "CPU µs/op",
                "p99 ms",
                "B/op",
                "Errors");
        out.println(header);
        out.println("-".repeat(header.length()));
        Workload lastW = null;
        int lastC = -1;
        for (ClientSummary s : clientSummaries()) {
            RunResult r = s.first();
            boolean newGroup = r.workload() != lastW || r.concurrency() != lastC;
            if (newGroup && lastW != null) {
                out.println();
            }
            out.printf(
                    Locale.ROOT,
                    "%-13s %7s  %-22s %-27s %-25s %9.3f %,9.0f %7d%n",
                    newGroup && r.workload() != lastW ? r.workload().label : "",
                    newGroup ? String.format(Locale.ROOT, "%,d", r.concurrency()) : "",
                    r.clientLabel(),
                    s.opsPerSecond().format("%,.0f"),
                    s.cpuMicrosPerOp().format("%.1f"),
                    s.p99Micros().median() / 1e3,
                    s.bytesPerOp().median(),
                    s.errors());
            lastW = r.workload();
            lastC = r.concurrency();
        }
        printNotes(out);
        if (!ratios.isEmpty()) {
            out.println();
            printTargets(out, ratios);
        }
    }

    /** LoomZK's ratios, medians and ranges: against the bare wire first, then the other clients. */
    private void printRatios(PrintStream out, List<RatioSummary> ratios) {
        boolean anyBareWire = ratios.stream().anyMatch(RatioSummary::hasBareWire);
        out.println(
                anyBareWire
                        ? "LoomZK against the bare wire (the limit a client can approach here) and the best other client:"
                        : "LoomZK against the best other client:");
        for (RatioSummary r : ratios) {
            String level = String.format(Locale.ROOT, "  %-13s %,7d callers:", r.workload().label, r.concurrency());
            if (r.hasBareWire()) {
                out.printf(
                        Locale.ROOT,
                        "%s bare wire: throughput %s, CPU/op %s%n%s best other: throughput %s (vs %s), CPU/op %s (vs %s);"
                                + " the bare wire is %s the fastest%n",
                        level,
                        r.loomzkOverBareWire().ratio(),
                        r.cpuOverBareWire().ratio(),
                        " ".repeat(level.length()),
                        r.throughputRatio().ratio(),
                        labels(r.vsFastest()),
                        r.cpuRatio().ratio(),
                        labels(r.vsLeanest()),
                        r.bareWireOverFastest().ratio());
            } else {
                out.printf(
                        Locale.ROOT,
                        "%s best other: throughput %s (vs %s), CPU/op %s (vs %s)%n",
                        level,
                        r.throughputRatio().ratio(),
                        labels(r.vsFastest()),
                        r.cpuRatio().ratio(),
                        labels(r.vsLeanest()));
            }
        }
    }

    private String labels(List<String> ids) {
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            out.add(results.stream()
                    .filter(r -> r.clientId().equals(id))
                    .map(RunResult::clientLabel)
                    .findFirst()
                    .orElse(id));
        }
        return String.join(" / ", out);
    }

    private String windowDescription() {
        boolean timed = options.workloads().stream().anyMatch(w -> !w.isRecipe());
        boolean steady = options.workloads().stream().anyMatch(Workload::isRecipe);
        List<String> parts = new ArrayList<>();
        if (timed) {
            parts.add(String.format(
                    Locale.ROOT,
                    "each client measured for %s s per level, in %d interleaved slices after %s s of warmup",
                    seconds(options.duration().toMillis()),
                    options.rounds(),
                    seconds(options.warmup().toMillis())));
        }
        if (steady) {
            parts.add(String.format(
                    Locale.ROOT,
                    "recipes: %,d acquisitions per client and level in %d slices, each window opened once every"
                            + " contender had been served once",
                    options.handovers(),
                    options.rounds()));
        }
        return String.join("; ", parts);
    }

    /** The bare wire's description, the recipes' windows, and the first error of each failing run. */
    private void printNotes(PrintStream out) {
        if (results.stream().anyMatch(RunResult::reference)) {
            out.println();
            out.println(
                    "bare wire: not a client, and left out of the ratios against the other clients. One socket, one platform");
            out.println(
                    "  thread, requests built once, replies read only as far as their header: the limit a client can approach");
            out.println("  on this machine (a reference, not a strict bound).");
        }
        List<RunResult> steady =
                results.stream().filter(r -> r.window() != null).toList();
        if (!steady.isEmpty()) {
            out.println();
            out.println(
                    "Recipe windows (each opened once every contender had been served once; time between acquisitions,"
                            + " and the slices' throughput range):");
            for (ClientSummary s : clientSummaries()) {
                RunResult f = s.first();
                if (f.window() == null) {
                    continue;
                }
                List<RunResult> rs = steady.stream()
                        .filter(r -> r.workload() == f.workload()
                                && r.concurrency() == f.concurrency()
                                && r.clientId().equals(f.clientId()))
                        .toList();
                Spread gapP50 = spread(rs, r -> r.window().gapP50Micros() / 1e3);
                Spread gapP99 = spread(rs, r -> r.window().gapP99Micros() / 1e3);
                double sliceMin = rs.stream()
                        .mapToDouble(r -> r.window().sliceOpsPerSecond().min())
                        .min()
                        .orElse(Double.NaN);
                double sliceMax = rs.stream()
                        .mapToDouble(r -> r.window().sliceOpsPerSecond().max())
                        .max()
                        .orElse(Double.NaN);
                double queueing = rs.stream()
                        .mapToDouble(r -> r.window().queueingSecondsMax())
                        .max()
                        .orElse(Double.NaN);
                int unsteady =
                        rs.stream().mapToInt(r -> r.window().unsteadySlices()).sum();
                out.printf(
                        Locale.ROOT,
                        "  %-13s %,7d callers  %-10s hand-over p50 %s ms, p99 %s ms; slices %,.0f–%,.0f ops/s;"
                                + " queueing up to %.1f s%s%n",
                        f.workload().label,
                        f.concurrency(),
                        f.clientLabel(),
                        gapP50.format("%.3f"),
                        gapP99.format("%.3f"),
                        sliceMin,
                        sliceMax,
                        queueing,
                        unsteady == 0
                                ? ""
                                : String.format(
                                        Locale.ROOT,
                                        "; %d slice(s) opened at the deadline, before every contender was served",
                                        unsteady));
            }
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
    }

    private void printSingle(PrintStream out) {
        if (!results.isEmpty()) {
            out.printf(Locale.ROOT, "%d B of data; %s; server: %s%n%n", options.size(), windowDescription(), server);
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
            printNotes(out);
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
                                "  %-13s %7s          the bare wire is %.2fx the fastest client; LoomZK reaches %.0f%% of it"
                                        + " at %.2fx its CPU per op%n",
                                "",
                                "",
                                c.bareWireOverFastest(),
                                100 * c.loomzkOverBareWire(),
                                c.cpuOverBareWire());
                    }
                }
                out.println();
                printTargets(out, ratioSummaries());
            }
        }
    }

    private void printMemory(PrintStream out) {
        if (memory != null) {
            out.println();
            memory.print(out);
            out.printf(
                    Locale.ROOT,
                    "  Target: at most %,.0f B of heap per blocked caller: %,.0f B, %s%n",
                    BYTES_PER_BLOCKED_CALLER_TARGET,
                    memory.loomzkBytesPerCaller(),
                    memory.loomzkBytesPerCaller() <= BYTES_PER_BLOCKED_CALLER_TARGET ? "met" : "NOT met");
            double alone = memory.threadAloneBytesPerCaller();
            if (!Double.isNaN(alone)) {
                out.printf(
                        Locale.ROOT,
                        "  A virtual thread parked with no client costs %,.0f B here (the JDK's floor);"
                                + " LoomZK adds %,.0f B per blocked caller%n",
                        alone,
                        memory.loomzkBytesPerCaller() - alone);
            }
        }
    }

    /** Issue 21's targets (issue 18's for the recipes), judged on the medians over the runs. */
    private void printTargets(PrintStream out, List<RatioSummary> ratios) {
        String over = isRepeated() ? "medians of " + repeats.size() + " runs" : "one run: repeat it (--repeat 3)";
        out.println("Targets (issues 21 and 18, this machine, " + over + "):");
        for (RatioSummary r : ratios) {
            String level = String.format(
                    Locale.ROOT,
                    "  %-13s %,d caller%s:",
                    r.workload().label,
                    r.concurrency(),
                    r.concurrency() == 1 ? "" : "s");
            if (r.workload().isRecipe()) {
                out.printf(
                        Locale.ROOT,
                        "%s throughput >= %.1fx the best other: %.2fx %s; CPU/op <= %.1fx: %.2fx %s%n",
                        level,
                        RECIPE_THROUGHPUT_TARGET,
                        r.throughputRatio().median(),
                        met(r.throughputRatio().median() >= RECIPE_THROUGHPUT_TARGET),
                        RECIPE_CPU_TARGET,
                        r.cpuRatio().median(),
                        met(r.cpuRatio().median() <= RECIPE_CPU_TARGET));
                continue;
            }
            StringBuilder line = new StringBuilder(String.format(
                    Locale.ROOT,
                    "%s throughput >= %.1fx the best other: %.2fx %s",
                    level,
                    THROUGHPUT_TARGET,
                    r.throughputRatio().median(),
                    met(r.throughputRatio().median() >= THROUGHPUT_TARGET)));
            if (r.hasBareWire() && r.concurrency() <= 1000) {
                line.append(String.format(
                        Locale.ROOT,
                        "; >= %.1fx the bare wire: %.2fx %s",
                        BARE_WIRE_THROUGHPUT_TARGET,
                        r.loomzkOverBareWire().median(),
                        met(r.loomzkOverBareWire().median() >= BARE_WIRE_THROUGHPUT_TARGET)));
                if (r.concurrency() > 1) {
                    line.append(String.format(
                            Locale.ROOT,
                            "; CPU/op <= %.1fx the bare wire's: %.2fx %s",
                            BARE_WIRE_CPU_TARGET,
                            r.cpuOverBareWire().median(),
                            met(r.cpuOverBareWire().median() <= BARE_WIRE_CPU_TARGET)));
                }
            }
            out.println(line);
        }
    }

    private static String met(boolean met) {
        return met ? "met" : "NOT met";
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
        settings.put("repeat", repeats.size());
        if (options.workloads().stream().anyMatch(Workload::isRecipe)) {
            settings.put("recipeAcquisitions", options.handovers());
            settings.put("recipeDeadlineSeconds", options.recipeDeadline().toMillis() / 1e3);
        }
        if (options.connect() == null) {
            settings.put("serverCnxnFactory", options.serverCnxn().className);
        }
        settings.put("tls", options.tls());
        root.put("settings", settings);
        List<Object> runs = new ArrayList<>();
        for (int i = 0; i < repeats.size(); i++) {
            for (RunResult r : repeats.get(i)) {
                Map<String, Object> m = r.toJson();
                m.put("repeat", i + 1);
                runs.add(m);
            }
        }
        root.put("runs", runs);
        List<Object> comps = new ArrayList<>();
        List<List<Comparison>> byRepeat = comparisonsByRepeat();
        for (int i = 0; i < byRepeat.size(); i++) {
            for (Comparison c : byRepeat.get(i)) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("repeat", i + 1);
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
                    m.put("cpuOverBareWire", c.cpuOverBareWire());
                }
                comps.add(m);
            }
        }
        root.put("loomzkVsOthers", comps);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("repeats", repeats.size());
        summary.put(
                "clients", clientSummaries().stream().map(ClientSummary::toJson).toList());
        summary.put(
                "ratios", ratioSummaries().stream().map(RatioSummary::toJson).toList());
        root.put("summary", summary);
        if (memory != null) {
            root.put("memory", memory.toJson());
        }
        return Json.write(root);
    }

    static String seconds(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : String.format(Locale.ROOT, "%.1f", millis / 1e3);
    }
}
