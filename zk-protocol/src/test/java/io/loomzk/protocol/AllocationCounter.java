package io.loomzk.protocol;

import java.lang.reflect.Method;

/**
 * The current thread's allocated-bytes counter ({@code com.sun.management.ThreadMXBean}).
 *
 * <p>Reached reflectively: test sources compile patched into the named module
 * {@code io.loomzk.protocol}, which does not read {@code java.management} (and must not, it has
 * no dependencies); tests run on the class path, where the JDK's management API is visible.
 */
final class AllocationCounter {
    private final Object bean;
    private final Method allocated;

    private AllocationCounter(Object bean, Method allocated) {
        this.bean = bean;
        this.allocated = allocated;
    }

    /** The counter, or null if this JVM does not count allocations per thread. */
    static AllocationCounter create() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory")
                    .getMethod("getThreadMXBean")
                    .invoke(null);
            Class<?> api = Class.forName("com.sun.management.ThreadMXBean");
            if (!api.isInstance(bean)
                    || !(boolean)
                            api.getMethod("isThreadAllocatedMemorySupported").invoke(bean)) {
                return null;
            }
            api.getMethod("setThreadAllocatedMemoryEnabled", boolean.class).invoke(bean, true);
            return new AllocationCounter(bean, api.getMethod("getCurrentThreadAllocatedBytes"));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /** Bytes this thread has allocated so far. */
    long bytes() {
        try {
            return (long) allocated.invoke(bean);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
