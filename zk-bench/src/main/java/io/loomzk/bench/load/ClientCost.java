package io.loomzk.bench.load;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * What this process has spent so far: CPU time, heap bytes allocated, GC count.
 *
 * <p>The ZooKeeper server runs in another process ({@link EmbeddedServer}) or on other machines,
 * so this process holds the clients under test and the tool itself, nothing else. CPU time is
 * the whole process's ({@code OperatingSystemMXBean.getProcessCpuTime}: every thread, GC and JIT
 * included, as a client's users pay them). Allocation is
 * {@code ThreadMXBean.getTotalThreadAllocatedBytes}: virtual threads allocate in their carrier
 * thread's TLAB, so it counts them (checked on JDK 21 and 25), and it counts the official
 * client's platform threads too. The tool's own share (the latency recorder, the progress line)
 * is the same for every client.
 */
record ClientCost(long cpuNanos, long allocatedBytes, long gcCount) {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static {
        if (THREADS.isThreadAllocatedMemorySupported() && !THREADS.isThreadAllocatedMemoryEnabled()) {
            THREADS.setThreadAllocatedMemoryEnabled(true);
        }
    }

    static ClientCost now() {
        long gcs = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs += Math.max(0, gc.getCollectionCount());
        }
        return new ClientCost(OS.getProcessCpuTime(), THREADS.getTotalThreadAllocatedBytes(), gcs);
    }

    ClientCost minus(ClientCost before) {
        return new ClientCost(
                cpuNanos - before.cpuNanos, allocatedBytes - before.allocatedBytes, gcCount - before.gcCount);
    }
}
