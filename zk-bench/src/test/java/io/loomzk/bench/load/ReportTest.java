package io.loomzk.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.loomzk.bench.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LoomZK's ratios: against the other clients only, never against the bare wire. */
class ReportTest {
    private static RunResult run(String id, boolean loomzk, boolean reference, long ops, double cpuMicros) {
        return new RunResult(
                Workload.GET_DATA, 32, id, id, loomzk, reference, ops, 1.0, 1, 2, 3, 4, cpuMicros, 100, 0, 0, null);
    }

    private static List<RunResult> oneRun(long loomzk, long async, long sync, long wire, double loomzkCpu) {
        return List.of(
                run("loomzk", true, false, loomzk, loomzkCpu),
                run("official-async", false, false, async, 30),
                run("official-sync", false, false, sync, 40),
                run("bare-wire", false, true, wire, 5));
    }

    @Test
    void repeatedRunsGiveTheMedianAndRangeOfEveryRatioEachTakenWithinItsRun() throws Exception {
        LoadOptions o = LoadOptions.parse(new String[] {"--concurrency", "32", "--repeat", "3"});
        Report r = Report.repeated(
                o,
                "test",
                List.of(
                        // ratios to the fastest other: 1.10 (vs async), 0.90 (vs sync, the faster there), 1.25
                        oneRun(11_000, 10_000, 9_000, 12_000, 15),
                        oneRun(9_000, 8_000, 10_000, 12_000, 6),
                        oneRun(10_000, 8_000, 7_000, 8_000, 30)),
                null);

        assertThat(r.isRepeated()).isTrue();
        assertThat(r.comparisons()).hasSize(3);
        Report.RatioSummary s = r.ratioSummaries().getFirst();
        assertThat(s.throughputRatio().median()).isCloseTo(1.10, offset(1e-9));
        assertThat(s.throughputRatio().min()).isCloseTo(0.90, offset(1e-9));
        assertThat(s.throughputRatio().max()).isCloseTo(1.25, offset(1e-9));
        assertThat(s.vsFastest()).containsExactly("official-async", "official-sync");
        // CPU against the leanest other (official async, 30 µs): 0.5, 0.2, 1.0
        assertThat(s.cpuRatio().median()).isCloseTo(0.5, offset(1e-9));
        assertThat(s.cpuRatio().min()).isCloseTo(0.2, offset(1e-9));
        assertThat(s.cpuRatio().max()).isCloseTo(1.0, offset(1e-9));
        // against the bare wire: 11/12, 9/12, 10/8; CPU 3, 1.2, 6
        assertThat(s.loomzkOverBareWire().median()).isCloseTo(11.0 / 12, offset(1e-9));
        assertThat(s.loomzkOverBareWire().max()).isCloseTo(1.25, offset(1e-9));
        assertThat(s.cpuOverBareWire().median()).isCloseTo(3.0, offset(1e-9));
        assertThat(s.bareWireOverFastest().median()).isCloseTo(1.2, offset(1e-9));

        Report.ClientSummary loomzk = r.clientSummaries().getFirst();
        assertThat(loomzk.first().clientId()).isEqualTo("loomzk");
        assertThat(loomzk.opsPerSecond().median()).isEqualTo(10_000);
        assertThat(loomzk.opsPerSecond().min()).isEqualTo(9_000);
        assertThat(loomzk.opsPerSecond().max()).isEqualTo(11_000);
        assertThat(r.clientSummaries()).hasSize(4);
        assertThat(r.medianResults())
                .hasSize(4)
                .first()
                .satisfies(m -> assertThat(m.opsPerSecond()).isEqualTo(10_000));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        r.printTable(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertThat(table)
                .contains("3 runs of the whole comparison")
                .contains("bare wire: throughput 0.92x (0.75–1.25), CPU/op 3.00x (1.20–6.00)")
                .contains("best other: throughput 1.10x (0.90–1.25) (vs official-async / official-sync)")
                .contains("10,000 (9,000–11,000)")
                .contains("Targets (issues 21 and 18, this machine, medians of 3 runs)")
                .contains("throughput >= 1.0x the best other: 1.10x met");
        // the ratios come before the table
        assertThat(table.indexOf("bare wire: throughput")).isLessThan(table.indexOf("Workload"));

        Map<?, ?> json = (Map<?, ?>) Json.parse(r.json());
        assertThat(((Map<?, ?>) json.get("settings")).get("repeat")).isEqualTo(3.0);
        assertThat((List<?>) json.get("runs"))
                .hasSize(12)
                .allSatisfy(run -> assertThat(((Map<?, ?>) run).get("repeat")).isIn(1.0, 2.0, 3.0));
        assertThat((List<?>) json.get("loomzkVsOthers")).hasSize(3);
        Map<?, ?> summary = (Map<?, ?>) json.get("summary");
        assertThat(summary.get("repeats")).isEqualTo(3.0);
        Map<?, ?> ratio = (Map<?, ?>) ((List<?>) summary.get("ratios")).getFirst();
        Map<?, ?> throughput = (Map<?, ?>) ratio.get("throughputRatio");
        assertThat((Double) throughput.get("median")).isCloseTo(1.10, offset(1e-9));
        assertThat((Double) throughput.get("min")).isCloseTo(0.90, offset(1e-9));
        assertThat((Double) throughput.get("max")).isCloseTo(1.25, offset(1e-9));
        assertThat(throughput.get("runs")).isEqualTo(3.0);
        assertThat(ratio.get("loomzkOverBareWire")).isNotNull();
        assertThat((List<?>) summary.get("clients")).hasSize(4);
        String svg = SvgChart.render(r);
        assertThat(svg)
                .contains("medians of 3 runs")
                .contains("stroke-dasharray=\"5 3\"")
                .contains("over 3 runs");
    }

    @Test
    void aSingleRunKeepsTodaysShapeAndAddsTheSummary() throws Exception {
        Report r = report(oneRun(11_000, 10_000, 9_000, 12_000, 15));

        Map<?, ?> json = (Map<?, ?>) Json.parse(r.json());
        assertThat((List<?>) json.get("runs")).hasSize(4);
        Map<?, ?> c = (Map<?, ?>) ((List<?>) json.get("loomzkVsOthers")).getFirst();
        assertThat((Double) c.get("throughputRatio")).isCloseTo(1.1, offset(1e-9));
        assertThat(c.get("vsFastest")).isEqualTo("official-async");
        Map<?, ?> summary = (Map<?, ?>) json.get("summary");
        assertThat(summary.get("repeats")).isEqualTo(1.0);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        r.printTable(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("LoomZK / best other client")
                .doesNotContain("runs of the whole comparison");
        // the bare wire is a line across its level, not a bar
        String svg = SvgChart.render(r);
        assertThat(svg)
                .contains("wire 12.0k")
                .contains("bare-wire, 32 callers: 12.0k (reference)</title></line>")
                .doesNotContain("bare-wire, 32 callers: 12.0k</title></rect>");
    }

    private static Report report(List<RunResult> results) throws Exception {
        LoadOptions o = LoadOptions.parse(new String[] {"--concurrency", "32"});
        return new Report(o, "test", results, null);
    }

    @Test
    void theBareWireIsLeftOutOfTheRatiosAndShownBesideThem() throws Exception {
        Report r = report(List.of(
                run("loomzk", true, false, 11_000, 15),
                run("official-async", false, false, 10_000, 30),
                run("official-sync", false, false, 9_000, 40),
                run("bare-wire", false, true, 12_000, 5)));

        Report.Comparison c = r.comparisons().getFirst();

        assertThat(c.fastestOther().clientId()).isEqualTo("official-async");
        assertThat(c.leanestOther().clientId()).isEqualTo("official-async");
        assertThat(c.throughputRatio()).isEqualTo(1.1);
        assertThat(c.cpuRatio()).isEqualTo(0.5);
        assertThat(c.bareWireOverFastest()).isEqualTo(1.2);
        assertThat(c.loomzkOverBareWire()).isCloseTo(0.9167, org.assertj.core.data.Offset.offset(1e-4));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        r.printTable(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("bare wire: not a client")
                .contains("the bare wire is 1.20x the fastest client; LoomZK reaches 92% of it")
                .contains("throughput >= 1.0x the best other: 1.10x met; >= 0.9x the bare wire: 0.92x met;"
                        + " CPU/op <= 1.5x the bare wire's: 3.00x NOT met");
        assertThat(r.json()).contains("\"bareWireOverFastest\"").contains("\"reference\": true");
    }

    @Test
    void withoutTheBareWireTheRatiosAreUnchanged() throws Exception {
        Report r = report(
                List.of(run("loomzk", true, false, 11_000, 15), run("official-async", false, false, 10_000, 30)));

        Report.Comparison c = r.comparisons().getFirst();

        assertThat(c.bareWire()).isNull();
        assertThat(c.bareWireOverFastest()).isNaN();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        r.printTable(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .doesNotContain("bare wire")
                .contains("throughput >= 1.0x the best other: 1.10x met\n");
        assertThat(r.json()).doesNotContain("bareWire");
    }
}
