package io.loomzk.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.bench.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load tool end to end, tiny: an embedded server in a child JVM, every workload the
 * official clients and LoomZK share plus Curator's lock, a memory run with few callers. It checks
 * that everything runs and reports, not how fast (timings never go into tests).
 */
class LoadToolIT {
    @TempDir
    Path dir;

    @Test
    void runsEveryClientAndWritesTheReport() throws Exception {
        LoadOptions o = LoadOptions.parse(new String[] {
            "--workload", "getData,create-delete,mix,lock",
            "--concurrency", "1,8",
            // each client runs its path once before any window (class loading, the first
            // connections), and the windows are long enough that a stall of the loaded machine
            // does not leave one empty: this test checks that everything runs, not how fast; the
            // process CPU clock advances in ticks of 10 ms, so a lock window needs to last
            // several ticks (40 acquisitions by one contender took 20 ms and read 0 CPU)
            "--duration", "0.6",
            "--handovers", "300",
            "--warmup", "0.2",
            "--rounds", "1",
            "--jit-warmup", "0.2",
            "--memory", "2000",
            "--out", dir.toString()
        });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int exit = LoadTool.run(o, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        assertThat(out)
                .contains("LoomZK / best other client")
                .contains("bare wire: not a client")
                .contains("Memory: heap per caller");
        Map<?, ?> json = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("results.json")));
        List<?> runs = (List<?>) json.get("runs");
        // getData, mix: 4 clients and the bare wire x 2 levels; create-delete: 4 clients x 2;
        // lock: LoomZK and Curator x 2 levels
        assertThat(runs).hasSize(2 * 5 * 2 + 4 * 2 + 2 * 2);
        assertThat(runs.stream()
                        .map(r -> String.valueOf(((Map<?, ?>) r).get("client")))
                        .distinct())
                .containsExactlyInAnyOrder(
                        "loomzk", "official-sync", "official-async", "official-async-netty", "curator", "bare-wire");
        assertThat(((Map<?, ?>) json.get("settings")).get("serverCnxnFactory"))
                .isEqualTo("org.apache.zookeeper.server.NettyServerCnxnFactory");
        List<String> bareWireWorkloads = runs.stream()
                .map(r -> (Map<?, ?>) r)
                .filter(r -> "bare-wire".equals(r.get("client")))
                .peek(r -> assertThat(r.get("reference")).isEqualTo(true))
                .map(r -> String.valueOf(r.get("workload")))
                .distinct()
                .toList();
        assertThat(bareWireWorkloads).containsExactlyInAnyOrder("getData", "mix");
        List<?> comparisons = (List<?>) json.get("loomzkVsOthers");
        assertThat(comparisons).hasSize(4 * 2).allSatisfy(c -> {
            Map<?, ?> m = (Map<?, ?>) c;
            assertThat(m.get("vsFastest")).isNotEqualTo("bare-wire");
            assertThat(m.get("vsLeanest")).isNotEqualTo("bare-wire");
            boolean bareWireRan = "getData".equals(m.get("workload")) || "mix".equals(m.get("workload"));
            assertThat(m.containsKey("bareWireOverFastest")).as(m.toString()).isEqualTo(bareWireRan);
        });
        List<String> lockClients = runs.stream()
                .map(r -> (Map<?, ?>) r)
                .filter(r -> "lock".equals(r.get("workload")))
                .map(r -> String.valueOf(r.get("client")))
                .toList();
        assertThat(lockClients).containsOnly("loomzk", "curator");
        for (Object run : runs) {
            Map<?, ?> r = (Map<?, ?>) run;
            assertThat((Double) r.get("ops")).as(r.toString()).isPositive();
            assertThat((Double) r.get("errors")).as(r.toString()).isZero();
            assertThat((Double) r.get("cpuMicrosPerOp")).as(r.toString()).isPositive();
            assertThat((Double) r.get("allocatedBytesPerOp")).as(r.toString()).isPositive();
        }
        Map<?, ?> memory = (Map<?, ?>) json.get("memory");
        List<Object> measured = new ArrayList<>();
        for (Object c : (List<?>) memory.get("clients")) {
            measured.add(((Map<?, ?>) c).get("client"));
        }
        assertThat(measured).containsExactly("threads-alone", "loomzk", "official-sync", "official-async");
        assertThat((List<?>) memory.get("clients")).allSatisfy(c -> {
            Map<?, ?> side = (Map<?, ?>) c;
            assertThat((Double) side.get("bytesPerBlockedCaller")).isPositive();
            assertThat(side.get("note")).as(side.toString()).isNull();
        });
        String svg = Files.readString(dir.resolve("results.svg"));
        assertThat(svg)
                .startsWith("<svg")
                .contains("Throughput")
                .contains("LoomZK")
                .endsWith("</svg>\n");
    }

    @Test
    void runsEveryClientOverTlsAgainstATlsOnlyServer() throws Exception {
        LoadOptions o = LoadOptions.parse(new String[] {
            "--tls",
            "--workload",
            "getData,lock",
            "--concurrency",
            "4",
            "--duration",
            "1",
            "--warmup",
            "0.5",
            "--handovers",
            "60",
            "--recipe-deadline",
            "30",
            "--rounds",
            "1",
            "--jit-warmup",
            "0",
            "--out",
            dir.toString()
        });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int exit = LoadTool.run(o, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        assertThat(out).contains("TLS-only secure client port");
        Map<?, ?> json = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("results.json")));
        assertThat(((Map<?, ?>) json.get("settings")).get("tls")).isEqualTo(true);
        List<?> runs = (List<?>) json.get("runs");
        // getData: LoomZK, the official async client over Netty, the bare wire; lock: LoomZK, Curator
        assertThat(runs).hasSize(5).allSatisfy(run -> {
            Map<?, ?> r = (Map<?, ?>) run;
            assertThat((Double) r.get("ops")).as(r.toString()).isPositive();
            assertThat((Double) r.get("errors")).as(r.toString()).isZero();
        });
        assertThat(BenchTls.current()).isNull();
    }

    @Test
    void repeatsTheWholeComparisonAndReportsMediansAndRanges() throws Exception {
        LoadOptions o = LoadOptions.parse(new String[] {
            "--repeat", "2",
            "--clients", "loomzk,official-async,bare-wire",
            "--concurrency", "1,4",
            "--duration", "0.5",
            "--warmup", "0.2",
            "--rounds", "1",
            "--jit-warmup", "0.2",
            "--out", dir.toString()
        });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int exit = LoadTool.run(o, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        assertThat(out)
                .contains("Run 1 of 2:")
                .contains("Run 2 of 2:")
                .contains("2 runs of the whole comparison")
                .contains("LoomZK against the bare wire")
                .contains("medians of 2 runs");
        Map<?, ?> json = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("results.json")));
        assertThat(((Map<?, ?>) json.get("settings")).get("repeat")).isEqualTo(2.0);
        List<?> runs = (List<?>) json.get("runs");
        // 2 repetitions x 2 levels x (LoomZK, official async, bare wire)
        assertThat(runs).hasSize(2 * 2 * 3);
        assertThat(runs.stream()
                        .map(r -> (Object) ((Map<?, ?>) r).get("repeat"))
                        .distinct()
                        .toList())
                .containsExactly((Object) 1.0, 2.0);
        for (Object run : runs) {
            Map<?, ?> r = (Map<?, ?>) run;
            assertThat((Double) r.get("ops")).as(r.toString()).isPositive();
            assertThat((Double) r.get("errors")).as(r.toString()).isZero();
        }
        assertThat((List<?>) json.get("loomzkVsOthers")).hasSize(2 * 2);
        Map<?, ?> summary = (Map<?, ?>) json.get("summary");
        assertThat((List<?>) summary.get("clients")).hasSize(2 * 3);
        List<?> ratios = (List<?>) summary.get("ratios");
        assertThat(ratios).hasSize(2).allSatisfy(x -> {
            Map<?, ?> ratio = (Map<?, ?>) x;
            for (String key : List.of("throughputRatio", "cpuPerOpRatio", "loomzkOverBareWire", "cpuOverBareWire")) {
                Map<?, ?> spread = (Map<?, ?>) ratio.get(key);
                assertThat(spread.get("runs")).as(key).isEqualTo(2.0);
                double min = (Double) spread.get("min");
                double median = (Double) spread.get("median");
                double max = (Double) spread.get("max");
                assertThat(min).as(key).isPositive().isLessThanOrEqualTo(median);
                assertThat(median).as(key).isLessThanOrEqualTo(max);
            }
        });
        String svg = Files.readString(dir.resolve("results.svg"));
        assertThat(svg).contains("medians of 2 runs").contains("(reference)</title></line>");
    }

    @Test
    void measuresTheLockInSteadyStateBySizeOfWindow() throws Exception {
        LoadOptions o = LoadOptions.parse(new String[] {
            "--workload", "lock",
            "--clients", "loomzk,curator",
            "--concurrency", "1,40",
            "--handovers", "60",
            "--rounds", "2",
            "--recipe-deadline", "20",
            "--jit-warmup", "0",
            "--out", dir.toString()
        });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int exit = LoadTool.run(o, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        assertThat(out).contains("Recipe windows").contains("hand-over p50").doesNotContain("opened at the deadline");
        Map<?, ?> json = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("results.json")));
        assertThat(((Map<?, ?>) json.get("settings")).get("recipeAcquisitions")).isEqualTo(60.0);
        List<?> runs = (List<?>) json.get("runs");
        assertThat(runs).hasSize(2 * 2);
        for (Object run : runs) {
            Map<?, ?> r = (Map<?, ?>) run;
            assertThat(String.valueOf(r.get("client"))).isIn("loomzk", "curator");
            // each of the two windows closes once it has 30 acquisitions (a few more may land
            // before the measuring thread sees the count)
            assertThat((Double) r.get("ops")).as(r.toString()).isGreaterThanOrEqualTo(60.0);
            assertThat((Double) r.get("errors")).as(r.toString()).isZero();
            Map<?, ?> window = (Map<?, ?>) r.get("steadyWindow");
            assertThat(window).as(r.toString()).isNotNull();
            assertThat(window.get("slices")).isEqualTo(2.0);
            assertThat(window.get("acquisitionsPerSlice")).isEqualTo(30.0);
            assertThat(window.get("unsteadySlices")).as(r.toString()).isEqualTo(0.0);
            assertThat(window.get("leastServed")).isEqualTo(r.get("concurrency"));
            Map<?, ?> gap = (Map<?, ?>) window.get("handOverMicros");
            assertThat((Double) gap.get("p50")).as(r.toString()).isPositive();
            assertThat((Double) gap.get("p99")).isGreaterThanOrEqualTo((Double) gap.get("p50"));
            Map<?, ?> slices = (Map<?, ?>) window.get("sliceOpsPerSecond");
            assertThat(slices.get("runs")).isEqualTo(2.0);
            assertThat((Double) slices.get("min")).isPositive();
        }
    }

    @Test
    void runsAgainstZooKeepersDefaultNioFactoryToo() throws Exception {
        LoadOptions o = LoadOptions.parse(new String[] {
            "--server-cnxn", "nio",
            "--clients", "loomzk,official-sync-netty,official-async",
            "--concurrency", "4",
            "--duration", "0.5",
            "--warmup", "0.2",
            "--rounds", "1",
            "--jit-warmup", "0.2",
            "--out", dir.toString()
        });
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int exit = LoadTool.run(o, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        assertThat(out).contains("NIO connection factory").contains("official sync (Netty)");
        Map<?, ?> json = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("results.json")));
        assertThat(((Map<?, ?>) json.get("settings")).get("serverCnxnFactory"))
                .isEqualTo("org.apache.zookeeper.server.NIOServerCnxnFactory");
        List<?> runs = (List<?>) json.get("runs");
        assertThat(runs).hasSize(3).allSatisfy(run -> {
            Map<?, ?> r = (Map<?, ?>) run;
            assertThat((Double) r.get("ops")).as(r.toString()).isPositive();
            assertThat((Double) r.get("errors")).as(r.toString()).isZero();
        });
    }
}
