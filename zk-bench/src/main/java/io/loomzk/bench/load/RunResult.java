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
        String firstError) {

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
        return m;
    }
}
