package io.loomzk.bench.load;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The heap in use after full collections, and the class histogram of what is in it (the
 * {@code GC.class_histogram} diagnostic command, run in-process), so that a difference between
 * two snapshots says not only how much but what.
 *
 * @param usedBytes heap in use after {@code System.gc()} (a full, stop-the-world collection)
 * @param bytesByClass live bytes per class name, empty if the diagnostic command is unavailable
 */
record HeapSnapshot(long usedBytes, Map<String, Long> bytesByClass) {

    /** One class's share of a difference, per caller. */
    record Share(String className, double bytesPerCaller, double instancesPerCaller) {}

    static HeapSnapshot take() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(
                    used,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return new HeapSnapshot(used, histogram());
    }

    /** The classes that grew the most from {@code before} to this snapshot, per caller. */
    List<Share> growthSince(HeapSnapshot before, int callers, int limit) {
        Map<String, Long> b = before.bytesByClass;
        List<Map.Entry<String, Long>> grown = new ArrayList<>();
        for (Map.Entry<String, Long> e : bytesByClass.entrySet()) {
            long d = e.getValue() - b.getOrDefault(e.getKey(), 0L);
            if (d > 0) {
                grown.add(Map.entry(e.getKey(), d));
            }
        }
        grown.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        List<Share> out = new ArrayList<>();
        for (Map.Entry<String, Long> e : grown.subList(0, Math.min(limit, grown.size()))) {
            out.add(new Share(e.getKey(), (double) e.getValue() / callers, Double.NaN));
        }
        return out;
    }

    private static Map<String, Long> histogram() {
        String text;
        try {
            text = (String) ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "gcClassHistogram",
                            new Object[] {new String[0]},
                            new String[] {String[].class.getName()});
        } catch (JMException | RuntimeException e) {
            return Map.of();
        }
        Map<String, Long> m = new HashMap<>();
        // lines: "   1:        100000       69373800  jdk.internal.vm.StackChunk (java.base@25)"
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                try {
                    m.merge(f[3], Long.parseLong(f[2]), Long::sum);
                } catch (NumberFormatException ignored) {
                    // not a histogram row
                }
            }
        }
        return m;
    }
}
