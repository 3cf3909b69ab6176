package io.loomzk.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.bench.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read/write lock and semaphore workloads end to end, tiny: LoomZK and Curator only (the plain
 * clients have no recipes), both complete acquisitions without errors. Not how fast.
 */
class RecipeWorkloadsIT {
    @TempDir
    Path dir;

    @Test
    void loomzkAndCuratorRunTheReadWriteLockAndTheSemaphore() throws Exception {
        LoadOptions o = LoadOptions.parse(new String[] {
            "--workload", "rwlock,semaphore",
            "--concurrency", "1,16",
            "--handovers", "40",
            "--recipe-deadline", "30",
            "--warmup", "0.1",
            "--rounds", "1",
            "--jit-warmup", "0",
            "--out", dir.toString()
        });
        assertThat(o.workloads()).containsExactly(Workload.RWLOCK, Workload.SEMAPHORE);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int exit = LoadTool.run(o, new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        Map<?, ?> json = (Map<?, ?>) Json.parse(Files.readString(dir.resolve("results.json")));
        List<?> runs = (List<?>) json.get("runs");
        // two workloads x two levels x LoomZK and Curator
        assertThat(runs).hasSize(2 * 2 * 2);
        for (Object run : runs) {
            Map<?, ?> r = (Map<?, ?>) run;
            assertThat(String.valueOf(r.get("client"))).isIn("loomzk", "curator");
            assertThat((Double) r.get("ops")).as(r.toString()).isPositive();
            assertThat(((Number) r.get("errors")).longValue()).as(r.toString()).isZero();
            // measured in steady state: every window opened once all 16 (or the one) had been served
            Map<?, ?> window = (Map<?, ?>) r.get("steadyWindow");
            assertThat(window).as(r.toString()).isNotNull();
            assertThat(window.get("unsteadySlices")).as(r.toString()).isEqualTo(0.0);
            assertThat(window.get("leastServed")).as(r.toString()).isEqualTo(r.get("concurrency"));
            assertThat((Double) r.get("ops")).as(r.toString()).isGreaterThanOrEqualTo(40.0);
        }
    }
}
