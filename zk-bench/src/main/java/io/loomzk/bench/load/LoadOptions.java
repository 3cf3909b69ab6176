package io.loomzk.bench.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The load tool's command line.
 *
 * @param connect an existing ensemble's connect string, or null for an embedded server
 * @param workloads what to run, in order
 * @param concurrency caller counts, in order
 * @param size bytes of node data
 * @param duration the measured window of each run
 * @param warmup the unmeasured start of each run
 * @param rounds how many interleaved slices the measured time of each client is cut into
 * @param jitWarmup the warmup of each client before the first measured run
 * @param clients client ids to run (empty: all)
 * @param out where the JSON and SVG go
 * @param memory whether to run the memory mode (blocked callers)
 * @param memoryOnly whether to run only the memory mode
 * @param blockedCallers the memory mode's number of blocked callers
 * @param sessionTimeout the session timeout every client asks for
 * @param serverCnxn the embedded server's connection factory (unused with {@code connect})
 * @param repeat how many times the whole side-by-side comparison runs (medians and ranges over them)
 * @param handovers the recipe workloads' measured window, in acquisitions per client and level
 *     (split over the rounds)
 * @param recipeDeadline the bound on each recipe slice's queueing phase, and again on its window
 */
record LoadOptions(
        String connect,
        List<Workload> workloads,
        List<Integer> concurrency,
        int size,
        Duration duration,
        Duration warmup,
        int rounds,
        Duration jitWarmup,
        Set<String> clients,
        Path out,
        boolean memory,
        boolean memoryOnly,
        int blockedCallers,
        Duration sessionTimeout,
        EmbeddedServer.CnxnFactory serverCnxn,
        int repeat,
        int handovers,
        Duration recipeDeadline) {

    static final String USAGE = """
            usage: java -jar zk-bench.jar [options]        (./loomzk bench [options] builds first)
              LoomZK and the official ZooKeeper client side by side against the same server.

              --connect HOSTS       an existing ensemble, host:port[,host:port...]
                                    (default: an embedded ZooKeeper 3.9 in a child JVM)
              --server-cnxn KIND    the embedded server's connection factory: netty, or nio
                                    (ZooKeeper's default, which takes one request off a
                                    connection per selector pass) (default netty)
              --workload LIST       getData, setData, create-delete, mix (90% getData,
                                    10% setData), lock, rwlock (90% readers), semaphore
                                    (8 leases), cache (LoomZK's TreeCache vs Curator's
                                    CuratorCache: load of 10,000 and 100,000 nodes, heap
                                    per node, propagation at 1,000 changes/s; --rounds runs
                                    each), or all (default getData)
              --concurrency LIST    callers per level (default 1,32,1000; e.g. 1,32,1000,10000)
              --size BYTES          node data size (default 100)
              --duration SECONDS    measured time per client per row (default 4; the recipe
                                    workloads are measured in hand-overs instead)
              --repeat N            run the whole comparison N times (each run side by side in
                                    this JVM) and print the median and range (min-max) of
                                    throughput, CPU per op and every ratio (default 1;
                                    the cache workload and the memory mode run once)
              --handovers K         lock, rwlock, semaphore: the measured window of each client
                                    and level is K acquisitions (split over the rounds), and it
                                    opens only once every contender has queued and been served
                                    once (default 2000)
              --recipe-deadline S   bound on each recipe slice's queueing, and again on its
                                    window: a slice always stops (default 60)
              --warmup SECONDS      unmeasured start of each row's first slice (default 1)
              --rounds N            interleave the clients: cut each one's measured time into
                                    N slices, run in rotating order (default 3)
              --jit-warmup SECONDS  per client, before the first run (default 1.5)
              --clients LIST        loomzk, official-sync, official-async (the official client
                                    over its default NIO socket), official-sync-netty,
                                    official-async-netty (over its Netty socket), curator,
                                    bare-wire (not a client: what the server gives one
                                    connection, for getData, setData, mix), or all
                                    (default: all but official-sync-netty)
              --out DIR             where results.json and results.svg go (default target/bench)
              --memory [N]          also the memory mode: N callers blocked in getData against
                                    a server that does not answer (default N = 100000)
              --memory-only [N]     only the memory mode
              --session-timeout S   session timeout every client asks for (default 30)
              -h, --help            this text
            """;

    static LoadOptions parse(String[] args) {
        String connect = null;
        List<Workload> workloads = List.of(Workload.GET_DATA);
        List<Integer> concurrency = List.of(1, 32, 1000);
        int size = 100;
        Duration duration = Duration.ofSeconds(4);
        Duration warmup = Duration.ofSeconds(1);
        int rounds = 3;
        Duration jitWarmup = Duration.ofMillis(1500);
        Set<String> clients = new LinkedHashSet<>();
        Path out = Path.of("target", "bench");
        boolean memory = false;
        boolean memoryOnly = false;
        int blocked = 100_000;
        Duration sessionTimeout = Duration.ofSeconds(30);
        EmbeddedServer.CnxnFactory serverCnxn = null;
        int repeat = 1;
        int handovers = 2000;
        Duration recipeDeadline = Duration.ofSeconds(60);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String inline = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                inline = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "--connect" -> connect = inline != null ? inline : value(args, ++i, a);
                case "--workload", "--workloads" -> {
                    String v = inline != null ? inline : value(args, ++i, a);
                    List<Workload> ws = new ArrayList<>();
                    for (String s : v.split(",")) {
                        if (s.trim().equalsIgnoreCase("all")) {
                            ws.addAll(List.of(Workload.values()));
                        } else {
                            ws.add(Workload.parse(s));
                        }
                    }
                    workloads = List.copyOf(new LinkedHashSet<>(ws));
                }
                case "--concurrency" -> {
                    String v = inline != null ? inline : value(args, ++i, a);
                    List<Integer> cs = new ArrayList<>();
                    for (String s : v.split(",")) {
                        int n = Integer.parseInt(s.trim().replace("_", ""));
                        if (n < 1 || n > 1_000_000) {
                            throw new IllegalArgumentException("--concurrency values must be 1..1000000: " + n);
                        }
                        cs.add(n);
                    }
                    concurrency = List.copyOf(cs);
                }
                case "--size" -> {
                    size = Integer.parseInt(inline != null ? inline : value(args, ++i, a));
                    if (size < 0 || size > 1_000_000) {
                        throw new IllegalArgumentException("--size must be 0..1000000 bytes: " + size);
                    }
                }
                case "--duration" -> duration = seconds(inline != null ? inline : value(args, ++i, a), a);
                case "--warmup" -> warmup = seconds(inline != null ? inline : value(args, ++i, a), a);
                case "--rounds" -> {
                    rounds = Integer.parseInt(inline != null ? inline : value(args, ++i, a));
                    if (rounds < 1 || rounds > 100) {
                        throw new IllegalArgumentException("--rounds must be 1..100: " + rounds);
                    }
                }
                case "--repeat" -> repeat = count(inline != null ? inline : value(args, ++i, a), a, 1, 100);
                case "--handovers" ->
                    handovers = count(inline != null ? inline : value(args, ++i, a), a, 1, 10_000_000);
                case "--recipe-deadline" -> {
                    recipeDeadline = seconds(inline != null ? inline : value(args, ++i, a), a);
                    if (recipeDeadline.isZero()) {
                        throw new IllegalArgumentException("--recipe-deadline must be positive");
                    }
                }
                case "--jit-warmup" -> jitWarmup = seconds(inline != null ? inline : value(args, ++i, a), a);
                case "--clients" -> {
                    for (String s : (inline != null ? inline : value(args, ++i, a)).split(",")) {
                        clients.add(s.trim());
                    }
                }
                case "--out" -> out = Path.of(inline != null ? inline : value(args, ++i, a));
                case "--memory", "--memory-only" -> {
                    memory = true;
                    memoryOnly |= a.equals("--memory-only");
                    String v = inline;
                    if (v == null && i + 1 < args.length && args[i + 1].matches("[0-9_]+")) {
                        v = args[++i];
                    }
                    if (v != null) {
                        blocked = Integer.parseInt(v.replace("_", ""));
                        if (blocked < 1 || blocked > 10_000_000) {
                            throw new IllegalArgumentException(a + " takes 1..10000000 callers: " + blocked);
                        }
                    }
                }
                case "--session-timeout" -> sessionTimeout = seconds(inline != null ? inline : value(args, ++i, a), a);
                case "--server-cnxn" ->
                    serverCnxn = EmbeddedServer.CnxnFactory.parse(inline != null ? inline : value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (serverCnxn != null && connect != null) {
            throw new IllegalArgumentException("--server-cnxn configures the embedded server; --connect uses yours");
        }
        if (duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive");
        }
        return new LoadOptions(
                connect,
                workloads,
                concurrency,
                size,
                duration,
                warmup,
                rounds,
                jitWarmup,
                Set.copyOf(clients),
                out,
                memory,
                memoryOnly,
                blocked,
                sessionTimeout,
                serverCnxn != null ? serverCnxn : EmbeddedServer.CnxnFactory.NETTY,
                repeat,
                handovers,
                recipeDeadline);
    }

    /** A whole number in {@code min..max}, with underscores allowed ({@code 10_000}). */
    private static int count(String v, String option, int min, int max) {
        long n;
        try {
            n = Long.parseLong(v.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number " + min + ".." + max + ": '" + v + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(option + " must be " + min + ".." + max + ": " + v);
        }
        return (int) n;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static Duration seconds(String v, String option) {
        double s;
        try {
            s = Double.parseDouble(v.endsWith("s") ? v.substring(0, v.length() - 1) : v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes seconds, 0..3600: '" + v + "'");
        }
        if (!(s >= 0 && s <= 3600)) {
            throw new IllegalArgumentException(option + " must be 0..3600 seconds: " + v);
        }
        return Duration.ofMillis(Math.round(s * 1000));
    }
}
