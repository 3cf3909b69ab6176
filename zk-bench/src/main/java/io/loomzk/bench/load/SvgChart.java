package io.loomzk.bench.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The results as one SVG: a row per workload, a panel per metric (throughput, p99 latency, client
 * CPU per op, bytes allocated per op), bars grouped by the number of callers, one colour per
 * client, the bare wire as a dashed reference line across each level (not a bar: it is not a
 * client), LoomZK's throughput ratio to the best other client over its bar, and the memory mode's
 * bytes per blocked caller. With {@code --repeat} the bars are medians over the runs and the
 * throughput bars carry the range (min–max) as a whisker.
 */
final class SvgChart {
    private static final int PANEL_W = 300;
    private static final int PANEL_H = 210;
    private static final int GAP = 28;
    private static final int LEFT = 64;
    private static final int TOP = 96;
    private static final String FONT = "font-family=\"-apple-system,Segoe UI,Helvetica,Arial,sans-serif\"";

    private static final Map<String, String> COLOURS = Map.of(
            "loomzk", "#2563eb",
            "official-sync", "#f59e0b",
            "official-async", "#dc2626",
            "curator", "#059669",
            "bare-wire", "#111827");
    /** The bare wire's reference line. */
    private static final String REFERENCE_COLOUR = "#111827";

    private record Metric(String title, String unit, ToDoubleFunction<RunResult> value, boolean log) {}

    private static final List<Metric> METRICS = List.of(
            new Metric("Throughput", "ops/s, higher is better", RunResult::opsPerSecond, false),
            new Metric("p99 latency", "ms, log scale, lower is better", r -> r.p99Micros() / 1e3, true),
            new Metric("Client CPU per op", "µs, lower is better", RunResult::cpuMicrosPerOp, false),
            new Metric("Allocated per op", "bytes, lower is better", RunResult::bytesPerOp, false));

    private SvgChart() {}

    static String render(Report report) {
        List<RunResult> results = report.medianResults();
        List<Workload> workloads = report.options.workloads().stream()
                .filter(w -> results.stream().anyMatch(r -> r.workload() == w))
                .toList();
        List<Integer> levels = report.options.concurrency();
        Map<String, String> clients = new LinkedHashMap<>();
        for (RunResult r : results) {
            clients.putIfAbsent(r.clientId(), r.clientLabel());
        }
        int width = LEFT + METRICS.size() * (PANEL_W + GAP) + 20;
        int memoryH = report.memory != null ? PANEL_H + 70 : 0;
        int height = TOP + workloads.size() * (PANEL_H + 70) + memoryH + 30;

        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" %s>%n",
                width,
                height,
                width,
                height,
                FONT));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        text(s, 20, 34, 22, "#111827", "bold", "start", "LoomZK vs the official ZooKeeper client");
        text(
                s,
                20,
                56,
                13,
                "#4b5563",
                "normal",
                "start",
                String.format(
                        Locale.ROOT,
                        "%d B of data, %s · %s · Java %s, %d cores · %s",
                        report.options.size(),
                        report.isRepeated()
                                ? "medians of " + report.repeats.size() + " runs (whiskers: min–max)"
                                : report.options.workloads().stream().allMatch(Workload::isRecipe)
                                        ? String.format(
                                                Locale.ROOT,
                                                "%,d acquisitions measured per client and level",
                                                report.options.handovers())
                                        : Report.seconds(report.options
                                                        .duration()
                                                        .toMillis()) + " s measured per client and level",
                        report.server,
                        Runtime.version().feature(),
                        Runtime.getRuntime().availableProcessors(),
                        report.startedAt
                                .substring(0, Math.min(16, report.startedAt.length()))
                                .replace('T', ' ')));
        // legend
        int lx = 20;
        for (Map.Entry<String, String> e : clients.entrySet()) {
            boolean reference =
                    results.stream().anyMatch(r -> r.reference() && r.clientId().equals(e.getKey()));
            if (reference) {
                s.append(String.format(
                        Locale.ROOT,
                        "<line x1=\"%d\" y1=\"75\" x2=\"%d\" y2=\"75\" stroke=\"%s\" stroke-width=\"2\""
                                + " stroke-dasharray=\"5 3\"/>%n",
                        lx,
                        lx + 14,
                        REFERENCE_COLOUR));
            } else {
                s.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%d\" y=\"68\" width=\"14\" height=\"14\" rx=\"2\" fill=\"%s\"/>%n",
                        lx,
                        colour(e.getKey())));
            }
            String label = reference
                    ? e.getValue() + " (reference line per level: the limit a client can approach here)"
                    : e.getValue();
            text(s, lx + 20, 80, 13, "#111827", "normal", "start", label);
            lx += 36 + (int) Math.round(label.length() * 7.2);
        }

        int y = TOP;
        for (Workload w : workloads) {
            text(s, 20, y + 14, 16, "#111827", "bold", "start", w.label + " — callers on the x axis");
            int x = LEFT;
            for (Metric m : METRICS) {
                panel(s, report, results, w, levels, clients, m, x, y + 30);
                x += PANEL_W + GAP;
            }
            y += PANEL_H + 70;
        }
        if (report.memory != null) {
            memoryPanel(s, report.memory, LEFT, y + 10);
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static void panel(
            StringBuilder s,
            Report report,
            List<RunResult> results,
            Workload w,
            List<Integer> levels,
            Map<String, String> clients,
            Metric m,
            int x0,
            int y0) {
        int plotH = PANEL_H - 40;
        int baseY = y0 + 18 + plotH;
        text(s, x0, y0 + 8, 13, "#111827", "bold", "start", m.title());
        text(s, x0 + PANEL_W, y0 + 8, 10, "#6b7280", "normal", "end", m.unit());

        boolean throughput = m.title().equals("Throughput");
        List<String> ids = new ArrayList<>();
        for (String id : clients.keySet()) {
            if (results.stream().anyMatch(r -> r.workload() == w && r.clientId().equals(id) && !r.reference())) {
                ids.add(id);
            }
        }
        double max = 0;
        double minPositive = Double.MAX_VALUE;
        for (RunResult r : results) {
            if (r.workload() == w && r.ops() > 0) {
                double v = m.value().applyAsDouble(r);
                if (throughput && report.isRepeated()) {
                    v = Math.max(
                            v,
                            report.throughputSpread(w, r.concurrency(), r.clientId())
                                    .max());
                }
                if (Double.isFinite(v)) {
                    max = Math.max(max, v);
                    if (v > 0) {
                        minPositive = Math.min(minPositive, v);
                    }
                }
            }
        }
        if (max <= 0) {
            return;
        }
        Scale scale = m.log() ? Scale.log(minPositive, max) : Scale.linear(max);
        // grid
        for (double t : scale.ticks) {
            double gy = baseY - scale.fraction(t) * plotH;
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e5e7eb\"/>%n",
                    x0,
                    gy,
                    x0 + PANEL_W,
                    gy));
            text(s, x0 - 6, (int) Math.round(gy + 4), 10, "#6b7280", "normal", "end", compact(t));
        }
        s.append(String.format(
                Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#9ca3af\"/>%n",
                x0,
                baseY,
                x0 + PANEL_W,
                baseY));

        double groupW = (double) PANEL_W / levels.size();
        double barW = Math.min(34, (groupW - 14) / Math.max(1, ids.size()));
        for (int g = 0; g < levels.size(); g++) {
            int level = levels.get(g);
            double gx = x0 + g * groupW + (groupW - barW * ids.size()) / 2;
            text(
                    s,
                    (int) Math.round(x0 + g * groupW + groupW / 2),
                    baseY + 15,
                    11,
                    "#374151",
                    "normal",
                    "middle",
                    String.format(Locale.ROOT, "%,d", level));
            double bestOther = results.stream()
                    .filter(r -> r.workload() == w
                            && r.concurrency() == level
                            && !r.loomzk()
                            && !r.reference()
                            && r.ops() > 0)
                    .mapToDouble(RunResult::opsPerSecond)
                    .max()
                    .orElse(Double.NaN);
            RunResult wire = results.stream()
                    .filter(q -> q.workload() == w && q.concurrency() == level && q.reference() && q.ops() > 0)
                    .findFirst()
                    .orElse(null);
            double groupX = x0 + g * groupW;
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                RunResult r = results.stream()
                        .filter(q -> q.workload() == w
                                && q.concurrency() == level
                                && q.clientId().equals(id))
                        .findFirst()
                        .orElse(null);
                if (r == null || r.ops() == 0) {
                    continue;
                }
                double v = m.value().applyAsDouble(r);
                if (!Double.isFinite(v)) {
                    continue;
                }
                double h = Math.max(1, scale.fraction(v) * plotH);
                double bx = gx + i * barW;
                s.append(String.format(
                        Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"2\" fill=\"%s\">"
                                + "<title>%s, %,d callers: %s</title></rect>%n",
                        bx + 1,
                        baseY - h,
                        barW - 2,
                        h,
                        colour(id),
                        escape(r.clientLabel()),
                        level,
                        escape(compact(v))));
                if (throughput && report.isRepeated()) {
                    Spread range = report.throughputSpread(w, level, id);
                    if (range.count() > 1) {
                        double cx = bx + barW / 2;
                        double yLo = baseY - scale.fraction(range.min()) * plotH;
                        double yHi = baseY - scale.fraction(range.max()) * plotH;
                        s.append(String.format(
                                Locale.ROOT,
                                "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fh%.1fM%.1f %.1fh%.1f\" stroke=\"#111827\""
                                        + " stroke-width=\"1\" fill=\"none\"><title>%s, %,d callers: %s–%s over %d"
                                        + " runs</title></path>%n",
                                cx,
                                yLo,
                                yHi,
                                cx - 3,
                                yLo,
                                6.0,
                                cx - 3,
                                yHi,
                                6.0,
                                escape(r.clientLabel()),
                                level,
                                compact(range.min()),
                                compact(range.max()),
                                range.count()));
                    }
                }
                String label = compact(v);
                if (r.loomzk() && throughput && Double.isFinite(bestOther)) {
                    // with --repeat: the median of the runs' own ratios, as the table gives it
                    double ratio = report.ratioSummaries().stream()
                            .filter(q -> q.workload() == w && q.concurrency() == level)
                            .mapToDouble(q -> q.throughputRatio().median())
                            .findFirst()
                            .orElse(r.opsPerSecond() / bestOther);
                    label = String.format(Locale.ROOT, ratio < 10 ? "%.2f×" : "%.0f×", ratio);
                    text(
                            s,
                            (int) Math.round(bx + barW / 2),
                            (int) Math.round(baseY - h - 4),
                            10,
                            colour(id),
                            "bold",
                            "middle",
                            label);
                } else if (barW >= 18) {
                    text(
                            s,
                            (int) Math.round(bx + barW / 2),
                            (int) Math.round(baseY - h - 4),
                            8,
                            "#4b5563",
                            "normal",
                            "middle",
                            label);
                }
            }
            if (wire != null) {
                double v = m.value().applyAsDouble(wire);
                if (Double.isFinite(v)) {
                    double ly = baseY - Math.max(1, scale.fraction(v) * plotH);
                    s.append(String.format(
                            Locale.ROOT,
                            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\""
                                    + " stroke-dasharray=\"5 3\"><title>%s, %,d callers: %s (reference)</title></line>%n",
                            groupX + 4,
                            ly,
                            groupX + groupW - 4,
                            ly,
                            REFERENCE_COLOUR,
                            escape(wire.clientLabel()),
                            level,
                            escape(compact(v))));
                    text(
                            s,
                            (int) Math.round(groupX + groupW / 2),
                            baseY + 27,
                            9,
                            REFERENCE_COLOUR,
                            "normal",
                            "middle",
                            "- - wire " + compact(v));
                }
            }
        }
    }

    private static void memoryPanel(StringBuilder s, MemoryMode.Result memory, int x0, int y0) {
        text(
                s,
                20,
                y0 + 14,
                16,
                "#111827",
                "bold",
                "start",
                String.format(
                        Locale.ROOT,
                        "Memory — heap per caller blocked in getData (%,d callers, server not answering)",
                        memory.callers()));
        List<MemoryMode.Side> sides = memory.sides();
        double max = Math.max(
                Report.BYTES_PER_BLOCKED_CALLER_TARGET,
                sides.stream()
                        .mapToDouble(MemoryMode.Side::bytesPerCaller)
                        .max()
                        .orElse(1));
        int plotW = 2 * PANEL_W;
        int rowH = 30;
        int y = y0 + 40;
        double targetX = x0 + 150 + Report.BYTES_PER_BLOCKED_CALLER_TARGET / max * (plotW - 150);
        for (MemoryMode.Side side : sides) {
            text(s, x0 + 140, y + 19, 12, "#111827", "normal", "end", side.label());
            double w = Math.max(1, side.bytesPerCaller() / max * (plotW - 150));
            s.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"2\" fill=\"%s\"/>%n",
                    x0 + 150,
                    y + 4,
                    w,
                    rowH - 8,
                    colour(side.id())));
            text(
                    s,
                    (int) Math.round(x0 + 156 + w),
                    y + 19,
                    12,
                    "#111827",
                    "bold",
                    "start",
                    String.format(Locale.ROOT, "%,.0f B", side.bytesPerCaller()));
            y += rowH;
        }
        s.append(String.format(
                Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#111827\" stroke-dasharray=\"4 3\"/>%n",
                targetX,
                y0 + 36,
                targetX,
                y + 4));
        text(
                s,
                (int) Math.round(targetX),
                y + 18,
                10,
                "#111827",
                "normal",
                "middle",
                String.format(Locale.ROOT, "target %,.0f B", Report.BYTES_PER_BLOCKED_CALLER_TARGET));
    }

    private static final class Scale {
        final double[] ticks;
        final boolean log;
        final double lo;
        final double hi;

        private Scale(double[] ticks, boolean log, double lo, double hi) {
            this.ticks = ticks;
            this.log = log;
            this.lo = lo;
            this.hi = hi;
        }

        static Scale linear(double max) {
            double step = nice(max / 4);
            double top = Math.ceil(max / step) * step;
            int n = (int) Math.round(top / step);
            double[] t = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                t[i] = i * step;
            }
            return new Scale(t, false, 0, top);
        }

        static Scale log(double min, double max) {
            double lo = Math.pow(10, Math.floor(Math.log10(min)));
            double hi = Math.pow(10, Math.ceil(Math.log10(max)));
            if (hi <= lo) {
                hi = lo * 10;
            }
            int n = (int) Math.round(Math.log10(hi / lo));
            double[] t = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                t[i] = lo * Math.pow(10, i);
            }
            return new Scale(t, true, lo, hi);
        }

        double fraction(double v) {
            if (log) {
                return v <= lo ? 0 : Math.log10(v / lo) / Math.log10(hi / lo);
            }
            return v / hi;
        }

        private static double nice(double x) {
            double e = Math.pow(10, Math.floor(Math.log10(x)));
            double f = x / e;
            return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * e;
        }
    }

    static String compact(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (a >= 1e3) {
            return trim(v / 1e3) + "k";
        }
        if (a >= 10 || a == 0) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2g", v);
    }

    private static String trim(double v) {
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String colour(String id) {
        return COLOURS.getOrDefault(id, "#6b7280");
    }

    private static void text(
            StringBuilder s, int x, int y, int size, String fill, String weight, String anchor, String t) {
        s.append(String.format(
                Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" font-size=\"%d\" fill=\"%s\" font-weight=\"%s\" text-anchor=\"%s\">%s</text>%n",
                x,
                y,
                size,
                fill,
                weight,
                anchor,
                escape(t)));
    }

    private static String escape(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
