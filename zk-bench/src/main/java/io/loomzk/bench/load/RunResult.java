package io.loomzk.bench.load;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One client, one workload, one concurrency: what was measured in the window.
 *
 * @param clientId the contender's id
 * @param clientLabel the contender's label
 * @param loomzk whether this is LoomZK
 * @param reference whether this is a reference row (the bare wire), not a client
 * @param ops ops completed in the window
 * @param seconds the window's length
 * @param p50Micros median latency
 * @param p99Micros 99th percentile latency
 * @param p999Micros 99.9th percentile latency
 * @param maxMicros the slowest op
 * @param cpuMicrosPerOp process CPU time per op
 * @param bytesPerOp heap bytes allocated per op
 * @param gcCount collections during the window
 * @param errors ops that failed in the window
 * @param firstError the first failure, or null
 * @param window how a recipe workload's steady-state window went, or null for a timed window
 */
record RunResult(
        Workload workload,
        int concurrency,
        String clientId,
        String clientLabel,
        boolean loomzk,
        boolean reference,
        long ops,
        double seconds,
        double p50Micros,
        double p99Micros,
        double p999Micros,
        double maxMicros,
        double cpuMicrosPerOp,
        double bytesPerOp,
        long gcCount,
        long errors,
        String firstError,
        SteadyWindow window) {

    /** A result measured in a timed window. */
    RunResult(
            Workload workload,
            int concurrency,
            String clientId,
            String clientLabel,
            boolean loomzk,
            boolean reference,
            long ops,
            double seconds,
            double p50Micros,
            double p99Micros,
            double p999Micros,
            double maxMicros,
            double cpuMicrosPerOp,
            double bytesPerOp,
            long gcCount,
            long errors,
            String firstError) {
        this(
                workload,
                concurrency,
                clientId,
                clientLabel,
                loomzk,
                reference,
                ops,
                seconds,
                p50Micros,
                p99Micros,
                p999Micros,
                maxMicros,
                cpuMicrosPerOp,
                bytesPerOp,
                gcCount,
                errors,
                firstError,
                null);
    }

    /**
     * A recipe workload's steady-state windows: each opened once every contender had been served
     * once, and closed after a number of acquisitions.
     *
     * @param acquisitionsPerSlice the window's target size in each slice
     * @param slices how many slices (windows) there were
     * @param gapP50Micros median time between consecutive acquisitions (a hand-over, for a mutex)
     * @param gapP99Micros its 99th percentile
     * @param gapP999Micros its 99.9th percentile
     * @param gapMaxMicros the longest
     * @param sliceOpsPerSecond the spread of the slices' throughputs
     * @param queueingSecondsMax the longest time from starting the callers to opening the window
     * @param unsteadySlices slices whose window opened at the deadline, before every contender had
     *     been served
     * @param leastServed the fewest contenders served before a window opened
     */
    record SteadyWindow(
            long acquisitionsPerSlice,
            int slices,
            double gapP50Micros,
            double gapP99Micros,
            double gapP999Micros,
            double gapMaxMicros,
            Spread sliceOpsPerSecond,
            double queueingSecondsMax,
            int unsteadySlices,
            int leastServed) {

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("acquisitionsPerSlice", acquisitionsPerSlice);
            m.put("slices", slices);
            Map<String, Object> gap = new LinkedHashMap<>();
            gap.put("p50", gapP50Micros);
            gap.put("p99", gapP99Micros);
            gap.put("p999", gapP999Micros);
            gap.put("max", gapMaxMicros);
            m.put("handOverMicros", gap);
            m.put("sliceOpsPerSecond", sliceOpsPerSecond.toJson());
            m.put("queueingSecondsMax", queueingSecondsMax);
            m.put("unsteadySlices", unsteadySlices);
            m.put("leastServed", leastServed);
            return m;
        }
    }

    double opsPerSecond() {
        return ops / seconds;
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workload", workload.label);
        m.put("concurrency", concurrency);
        m.put("client", clientId);
        m.put("clientLabel", clientLabel);
        if (reference) {
            m.put("reference", true);
        }
        m.put("ops", ops);
        m.put("seconds", seconds);
        m.put("opsPerSecond", opsPerSecond());
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("p50", p50Micros);
        latency.put("p99", p99Micros);
        latency.put("p999", p999Micros);
        latency.put("max", maxMicros);
        m.put("latencyMicros", latency);
        m.put("cpuMicrosPerOp", cpuMicrosPerOp);
        m.put("allocatedBytesPerOp", bytesPerOp);
        m.put("gcCount", gcCount);
        m.put("errors", errors);
        if (firstError != null) {
            m.put("firstError", firstError);
        }
        if (window != null) {
            m.put("steadyWindow", window.toJson());
        }
        return m;
    }
}
