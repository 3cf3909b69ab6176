package io.loomzk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ratio table pairs each LoomZK case with its jute twin and checks the targets. */
class JmhTableTest {
    @TempDir
    Path dir;

    @Test
    void pairsCasesComparesMediansAndReportsTargets() throws IOException {
        Path json = dir.resolve("jmh.json");
        Files.writeString(
                json,
                "["
                        + result("EncodeBenchmark.getData_loomzk", "{}", 20.0, 88.0) + ","
                        + result("EncodeBenchmark.getData_jute", "{}", 230.0, 1616.0)
                                .replace("\"scoreUnit\"", "\"rawData\": [[140.0, 400.0], [150.0]], \"scoreUnit\"")
                        + ","
                        + result("DecodeBenchmark.getData_loomzk", "{\"dataBytes\": \"100\"}", 25.0, 224.0) + ","
                        + result("DecodeBenchmark.getData_jute", "{\"dataBytes\": \"100\"}", 150.0, 376.0) + ","
                        + result("DecodeBenchmark.getChildren2_loomzk", "{\"children\": \"10\"}", 300.0, 1000.0)
                        + "]");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int pairs = JmhSuite.printTable(json, new PrintStream(bytes, true, StandardCharsets.UTF_8), true);

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(pairs).isEqualTo(2);
        assertThat(out)
                .contains("| encode getData | 20.0 | 150 (140–400) | 7.5x | 88 | 1,616 |")
                .contains("| decode getData (100 B) | 25.0 | 150 | 6.0x | 224 | 376 |")
                .contains("| decode getChildren2 (10 children) | 300 | - | - | 1,000 | - |")
                .contains("getData encode >= 5x faster than jute: 7.5x, met")
                .contains("getData encode allocates only the frame (88 B): 88 B/op, met")
                .contains("getData decode (100 B) >= 4x faster than jute: 6.0x, met")
                .contains("payload + Stat + result (224 B): 224 B/op, met");
        assertThat(out.indexOf("encode getData")).isLessThan(out.indexOf("decode getData"));
    }

    private static String result(String benchmark, String params, double ns, double bytes) {
        return "{\"benchmark\": \"io.loomzk.bench." + benchmark + "\", \"params\": " + params
                + ", \"primaryMetric\": {\"score\": " + ns + ", \"scoreError\": \"NaN\", \"scoreUnit\": \"ns/op\"},"
                + " \"secondaryMetrics\": {\"\u00b7gc.alloc.rate.norm\": {\"score\": " + bytes
                + ", \"scoreUnit\": \"B/op\"}}}";
    }
}
