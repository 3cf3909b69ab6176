package io.loomzk.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LoomZK's ratios: against the other clients only, never against the bare wire. */
class ReportTest {
    private static RunResult run(String id, boolean loomzk, boolean reference, long ops, double cpuMicros) {
        return new RunResult(
                Workload.GET_DATA, 32, id, id, loomzk, reference, ops, 1.0, 1, 2, 3, 4, cpuMicros, 100, 0, 0, null);
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
                .contains("throughput >= 1.5x: 1.10x NOT met (the bare wire itself: 1.20x)");
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
                .contains("throughput >= 1.5x: 1.10x NOT met; CPU/op");
        assertThat(r.json()).doesNotContain("bareWire");
    }
}
