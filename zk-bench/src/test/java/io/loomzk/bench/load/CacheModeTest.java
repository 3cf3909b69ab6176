package io.loomzk.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CacheModeTest {

    @Test
    void cacheIsAWorkloadNoOpContenderRuns() {
        LoadOptions o = LoadOptions.parse(new String[] {"--workload", "cache"});
        assertThat(o.workloads()).containsExactly(Workload.CACHE);
        assertThat(LoadTool.contenders(LoadOptions.parse(new String[] {"--clients", "all"})))
                .noneMatch(c -> c.supports(Workload.CACHE));
    }

    @Test
    void theJsonCarriesEveryRowAndBothPropagations() {
        CacheMode.Result r = new CacheMode.Result(
                100,
                3,
                List.of(
                        new CacheMode.Row("loomzk", 10_000, 209.0, 359, List.of(209.0, 292.0, 108.0)),
                        new CacheMode.Row("curator", 10_000, 1299.7, 376, List.of(2143.0, 1300.0, 755.0))),
                List.of(
                        new CacheMode.Propagation("loomzk", 5000, 5000, 528, 53015, 90347, List.of(53015.0)),
                        new CacheMode.Propagation("curator", 5000, 5000, 671, 57097, 111797, List.of(57097.0))));
        String json = CacheMode.json(r);
        assertThat(json)
                .startsWith("{\"nodeBytes\":100,\"rounds\":3,\"load\":[")
                .contains("{\"cache\":\"loomzk\",\"nodes\":10000,\"loadMillis\":209.00,\"heapBytesPerNode\":359.0}")
                .contains("\"cache\":\"curator\",\"changesPerSecond\":1000,\"sent\":5000,\"seen\":5000")
                .contains("\"p99Micros\":53015.0");
    }
}
