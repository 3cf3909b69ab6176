package io.loomzk.cli;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.util.Optional;

/**
 * Ends the process at once with a status, for a one-shot command that has written and flushed
 * everything it had to say.
 *
 * <p>Why: whichever way a JVM exits ({@code System.exit}, {@code Runtime.halt}, or returning from
 * {@code main}), it first waits up to 300 ms for every thread blocked in native code to come out of
 * it, and once a virtual thread has done network I/O the JDK's poller thread sits in
 * {@code epoll_wait} for good. That wait was about half of a one-shot {@code get}'s wall time.
 * Calling the C library's {@code _exit} through the foreign-function API (JDK 22+) skips it,
 * along with shutdown hooks (the shell registers none; its client is closed and its output
 * flushed before this runs). On a JDK without that API, or when it cannot be reached, this is
 * {@link System#exit}.
 *
 * <p>Only used when the launcher asks for it ({@code -Dloomzk.fastExit=true}): {@code ./loomzk}
 * does on JDK 22 to 24, except on the run that writes the class-data archive, which the JVM
 * writes at a normal exit. On JDK 25 and later it starts the JVM with
 * {@code -XX:UserThreadWaitAttemptsAtExit=0} instead, which takes the wait out of the normal
 * exit, and does not ask for this (linking the downcall cost about 30 ms of its own).
 */
final class FastExit {
    private FastExit() {}

    /** Ends the process with {@code status}; never returns. */
    static void exit(int status) {
        if (Boolean.getBoolean("loomzk.fastExit")) {
            Optional<MethodHandle> exit = libcExit();
            if (exit.isPresent()) {
                try {
                    exit.get().invoke(status);
                } catch (Throwable e) {
                    // fall through to the normal exit
                }
            }
        }
        System.exit(status);
    }

    /**
     * A handle on {@code void _exit(int)}, found reflectively: the project compiles for Java 21,
     * where the foreign-function API is a preview.
     */
    private static Optional<MethodHandle> libcExit() {
        try {
            Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
            Class<?> lookupType = Class.forName("java.lang.foreign.SymbolLookup");
            Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
            Object linker = linkerType.getMethod("nativeLinker").invoke(null);
            Object lookup = linkerType.getMethod("defaultLookup").invoke(linker);
            Optional<?> symbol =
                    (Optional<?>) lookupType.getMethod("find", String.class).invoke(lookup, "_exit");
            if (symbol.isEmpty()) {
                return Optional.empty();
            }
            Object javaInt = Class.forName("java.lang.foreign.ValueLayout")
                    .getField("JAVA_INT")
                    .get(null);
            Object layouts = Array.newInstance(layoutType, 1);
            Array.set(layouts, 0, javaInt);
            Object descriptor =
                    descriptorType.getMethod("ofVoid", layouts.getClass()).invoke(null, layouts);
            Object options = Array.newInstance(optionType, 0);
            MethodHandle handle = (MethodHandle) linkerType
                    .getMethod("downcallHandle", segmentType, descriptorType, options.getClass())
                    .invoke(linker, symbol.get(), descriptor, options);
            return Optional.of(handle);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Optional.empty(); // JDK 21 (a preview there), or no C library symbol
        }
    }
}
