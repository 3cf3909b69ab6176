package io.loomzk.bench;

import io.loomzk.protocol.Frames;
import io.loomzk.protocol.GetDataRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code java -jar zk-bench.jar jmh}: runs the codec benchmarks with the GC profiler into a JSON
 * file, then prints the LoomZK / jute ratio table (Markdown) and the targets.
 *
 * <pre>
 * jmh [--out FILE] [--forks N] [--warmups N] [--iterations N] [--seconds S] [REGEX ...]
 * jmh --smoke [--out FILE]     one fork, one short iteration, the getData cases: checks that
 *                              the suite runs and the table builds, not how fast anything is
 * jmh --table FILE             prints the table of an existing JMH JSON result file
 * </pre>
 */
public final class JmhSuite {
    /** Array header bytes with the default 64-bit layout (compressed class pointers). */
    private static final int ARRAY_HEADER = 16;
    /** A {@code Stat}: 12-byte header, 6 longs, 5 ints. */
    private static final int STAT_BYTES = 80;
    /** A {@code GetDataResponse}: 12-byte header, 2 compressed references, padded. */
    private static final int RESULT_RECORD_BYTES = 24;

    private JmhSuite() {}

    public static void main(String[] args) throws IOException, RunnerException {
        Path out = Path.of("target", "bench", "jmh.json");
        boolean smoke = false;
        Path tableOnly = null;
        int forks = 2;
        int warmups = 3;
        int iterations = 5;
        double seconds = 1;
        List<String> includes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--out" -> out = Path.of(need(args, ++i));
                case "--table" -> tableOnly = Path.of(need(args, ++i));
                case "--forks" -> forks = Integer.parseInt(need(args, ++i));
                case "--warmups" -> warmups = Integer.parseInt(need(args, ++i));
                case "--iterations" -> iterations = Integer.parseInt(need(args, ++i));
                case "--seconds" -> seconds = Double.parseDouble(need(args, ++i));
                case "-h", "--help" -> {
                    usage(System.out);
                    return;
                }
                default -> {
                    if (args[i].startsWith("-")) {
                        usage(System.err);
                        throw new IllegalArgumentException("unknown option " + args[i]);
                    }
                    includes.add(args[i]);
                }
            }
        }
        if (tableOnly != null) {
            printTable(tableOnly, System.out, true);
            return;
        }
        ChainedOptionsBuilder options = new OptionsBuilder()
                .addProfiler(GCProfiler.class)
                .resultFormat(ResultFormatType.JSON)
                .result(out.toString())
                .shouldFailOnError(true);
        if (smoke) {
            options.include("EncodeBenchmark\\.getData_")
                    .include("DecodeBenchmark\\.getData_")
                    .param("dataBytes", "100")
                    .forks(1)
                    .warmupIterations(0)
                    .measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(200));
        } else {
            if (includes.isEmpty()) {
                includes.add("io\\.loomzk\\.bench\\..*Benchmark\\.");
            }
            includes.forEach(options::include);
            long millis = Math.round(seconds * 1000);
            options.forks(forks)
                    .warmupIterations(warmups)
                    .warmupTime(TimeValue.milliseconds(millis))
                    .measurementIterations(iterations)
                    .measurementTime(TimeValue.milliseconds(millis));
        }
        Files.createDirectories(out.toAbsolutePath().getParent());
        new Runner(options.build()).run();
        System.out.println();
        System.out.println("JMH results: " + out);
        System.out.println();
        int pairs = printTable(out, System.out, !smoke);
        if (smoke && pairs != 2) {
            throw new IllegalStateException("smoke run: expected 2 complete LoomZK/jute pairs, got " + pairs);
        }
    }

    private static String need(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void usage(PrintStream out) {
        out.println("""
                usage: java -jar zk-bench.jar jmh [options] [REGEX ...]
                  Runs the codec benchmarks (LoomZK vs Apache jute, GC profiler on) and prints
                  the ratio table. REGEX selects benchmarks as JMH's own filter does.
                  --out FILE        JMH JSON result file (default target/bench/jmh.json)
                  --forks N         forks per benchmark (default 2)
                  --warmups N       warmup iterations (default 3)
                  --iterations N    measurement iterations (default 5)
                  --seconds S       length of each iteration (default 1)
                  --smoke           1 fork, 1 iteration of 200 ms, the getData cases only
                  --table FILE      print the table of an existing result file and exit""");
    }

    /**
     * One side of one case. Times are the median and range of every measurement iteration (of
     * every fork): on a shared machine the median shrugs off the iterations another process
     * disturbed, where JMH's mean does not. JMH's own mean and error stay in the JSON file.
     */
    private record Score(double nsPerOp, double minNs, double maxNs, int iterations, double bytesPerOp) {}

    /** A case's place in the table: encode before decode, then the order, then size. */
    private record Key(int kind, int caseOrder, long param, String label) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = Integer.compare(kind, o.kind);
            c = c != 0 ? c : Integer.compare(caseOrder, o.caseOrder);
            c = c != 0 ? c : Long.compare(param, o.param);
            return c != 0 ? c : label.compareTo(o.label);
        }
    }

    private static final List<String> CASE_ORDER =
            List.of("getData", "create", "setData", "multi10", "getChildren2", "watcherEvent");

    /** Prints the table; returns the number of complete pairs. */
    static int printTable(Path jsonFile, PrintStream out, boolean verdicts) throws IOException {
        Object parsed = Json.parse(Files.readString(jsonFile, StandardCharsets.UTF_8));
        if (!(parsed instanceof List<?> results)) {
            throw new IllegalArgumentException(jsonFile + " is not a JMH JSON result file");
        }
        Map<Key, Map<String, Score>> cases = new TreeMap<>();
        for (Object o : results) {
            Map<?, ?> r = (Map<?, ?>) o;
            String benchmark = (String) r.get("benchmark");
            String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            String clazz = benchmark.substring(0, benchmark.lastIndexOf('.'));
            clazz = clazz.substring(clazz.lastIndexOf('.') + 1);
            int us = method.lastIndexOf('_');
            if (us < 0) {
                continue;
            }
            String side = method.substring(us + 1);
            String name = method.substring(0, us);
            Map<?, ?> params = (Map<?, ?>) r.get("params");
            Key key = new Key(
                    clazz.startsWith("Encode") ? 0 : 1,
                    CASE_ORDER.contains(name) ? CASE_ORDER.indexOf(name) : CASE_ORDER.size(),
                    firstNumber(params),
                    caseLabel(clazz, name, params));
            Map<?, ?> primary = (Map<?, ?>) r.get("primaryMetric");
            String unit = (String) primary.get("scoreUnit");
            List<Double> raw = new ArrayList<>();
            if (primary.get("rawData") instanceof List<?> forks) {
                for (Object fork : forks) {
                    for (Object v : (List<?>) fork) {
                        raw.add(toNanos((Double) v, unit));
                    }
                }
            }
            if (raw.isEmpty()) {
                raw.add(toNanos((Double) primary.get("score"), unit));
            }
            raw.sort(null);
            int n = raw.size();
            double median = n % 2 == 1 ? raw.get(n / 2) : (raw.get(n / 2 - 1) + raw.get(n / 2)) / 2;
            double bytes = Double.NaN;
            Map<?, ?> secondary = (Map<?, ?>) r.get("secondaryMetrics");
            if (secondary != null) {
                for (Map.Entry<?, ?> e : secondary.entrySet()) {
                    String k = String.valueOf(e.getKey()).replace("\u00b7", "");
                    if (k.equals("gc.alloc.rate.norm")) {
                        bytes = (Double) ((Map<?, ?>) e.getValue()).get("score");
                    }
                }
            }
            cases.computeIfAbsent(key, k -> new LinkedHashMap<>())
                    .put(side, new Score(median, raw.get(0), raw.get(n - 1), n, bytes));
        }

        out.println("| Case | LoomZK ns/op | jute ns/op | LoomZK speed-up | LoomZK B/op | jute B/op |");
        out.println("|---|---:|---:|---:|---:|---:|");
        int pairs = 0;
        Map<String, Map<String, Score>> byLabel = new LinkedHashMap<>();
        for (Map.Entry<Key, Map<String, Score>> e : cases.entrySet()) {
            byLabel.put(e.getKey().label(), e.getValue());
            Score ours = e.getValue().get("loomzk");
            Score theirs = e.getValue().get("jute");
            if (ours != null && theirs != null) {
                pairs++;
            }
            out.printf(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s |%n",
                    e.getKey().label(),
                    ours == null ? "-" : time(ours),
                    theirs == null ? "-" : time(theirs),
                    ours == null || theirs == null
                            ? "-"
                            : String.format(Locale.ROOT, "%.1fx", theirs.nsPerOp / ours.nsPerOp),
                    ours == null ? "-" : bytes(ours.bytesPerOp),
                    theirs == null ? "-" : bytes(theirs.bytesPerOp));
        }
        out.println();
        out.println("ns/op: median of every measurement iteration (range in brackets when there are several);"
                + " B/op: the GC profiler's gc.alloc.rate.norm.");
        if (verdicts) {
            out.println();
            printVerdicts(byLabel, out);
        }
        return pairs;
    }

    private static long firstNumber(Map<?, ?> params) {
        if (params != null) {
            for (Object v : params.values()) {
                try {
                    return Long.parseLong(String.valueOf(v));
                } catch (NumberFormatException ignored) {
                    // not a number: try the next
                }
            }
        }
        return 0;
    }

    private static void printVerdicts(Map<String, Map<String, Score>> cases, PrintStream out) {
        Map<String, Score> encode = cases.get("encode getData");
        if (encode != null && encode.containsKey("loomzk") && encode.containsKey("jute")) {
            Score ours = encode.get("loomzk");
            double speedup = encode.get("jute").nsPerOp / ours.nsPerOp;
            long frame = align(ARRAY_HEADER + Frames.requestFrameBytes(new GetDataRequest(Fixtures.PATH, false)));
            out.printf(
                    Locale.ROOT,
                    "Target getData encode >= 5x faster than jute: %.1fx, %s%n",
                    speedup,
                    speedup >= 5 ? "met" : "NOT met");
            out.printf(
                    Locale.ROOT,
                    "Target getData encode allocates only the frame (%d B): %s B/op, %s%n",
                    frame,
                    bytes(ours.bytesPerOp),
                    ours.bytesPerOp <= frame + 0.5 ? "met" : "NOT met");
        }
        for (int size : new int[] {0, 100, 65536}) {
            Map<String, Score> decode = cases.get(decodeGetDataLabel(size));
            if (decode == null || !decode.containsKey("loomzk") || !decode.containsKey("jute")) {
                continue;
            }
            Score ours = decode.get("loomzk");
            double speedup = decode.get("jute").nsPerOp / ours.nsPerOp;
            long budget = align(ARRAY_HEADER + size) + STAT_BYTES + RESULT_RECORD_BYTES;
            out.printf(
                    Locale.ROOT,
                    "Target getData decode (%s) >= 4x faster than jute: %.1fx, %s%s%n",
                    sizeLabel(size),
                    speedup,
                    speedup >= 4 ? "met" : "NOT met",
                    size >= 65536 && speedup < 4 ? " (both sides copy the 64 KiB payload into a new array)" : "");
            out.printf(
                    Locale.ROOT,
                    "Target getData decode (%s) allocates only payload + Stat + result (%d B): %s B/op, %s%n",
                    sizeLabel(size),
                    budget,
                    bytes(ours.bytesPerOp),
                    ours.bytesPerOp <= budget + 0.5 ? "met" : "NOT met");
        }
    }

    private static String caseLabel(String clazz, String name, Map<?, ?> params) {
        String kind = clazz.startsWith("Encode") ? "encode" : clazz.startsWith("Decode") ? "decode" : clazz;
        if (params == null || params.isEmpty()) {
            return kind + " " + name;
        }
        if (params.get("dataBytes") instanceof String s) {
            return decodeGetDataLabel(Integer.parseInt(s));
        }
        if (params.get("children") instanceof String s) {
            return kind + " " + name + " (" + s + " children)";
        }
        return kind + " " + name + " " + params;
    }

    private static String decodeGetDataLabel(int size) {
        return "decode getData (" + sizeLabel(size) + ")";
    }

    private static String sizeLabel(int size) {
        return size >= 1024 && size % 1024 == 0 ? size / 1024 + " KiB" : size + " B";
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    private static double toNanos(double score, String unit) {
        return switch (unit) {
            case "ns/op" -> score;
            case "us/op" -> score * 1e3;
            case "ms/op" -> score * 1e6;
            case "s/op" -> score * 1e9;
            default -> throw new IllegalArgumentException("unexpected JMH unit " + unit);
        };
    }

    private static String time(Score s) {
        String median = ns(s.nsPerOp);
        return s.iterations < 2 ? median : median + " (" + ns(s.minNs) + "–" + ns(s.maxNs) + ")";
    }

    private static String ns(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String bytes(double b) {
        return Double.isNaN(b) ? "?" : String.format(Locale.ROOT, "%,.0f", b);
    }
}
