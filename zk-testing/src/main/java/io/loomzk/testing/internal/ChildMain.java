package io.loomzk.testing.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * The entry point of every child JVM: watches its stdin, then runs the real main class.
 *
 * <p>The parent holds the write end of the child's stdin and never writes to it. When the parent
 * dies, however it dies, the kernel closes that end, this watchdog reads end-of-file and halts
 * the child at once, so no server outlives the test JVM that started it. It uses only
 * {@code java.base}, because the child's class path holds this one class and the server's jars.
 *
 * <p>Usage: {@code java -cp <this class + server jars> io.loomzk.testing.internal.ChildMain
 * <main class> <its arguments...>}.
 */
public final class ChildMain {
    /** The exit status of a child whose parent went away. */
    static final int PARENT_GONE = 143;

    private ChildMain() {}

    /**
     * Starts the watchdog, then calls {@code args[0]}'s {@code main} with the remaining arguments.
     *
     * @throws Throwable whatever the real main throws
     */
    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: ChildMain <main class> [arguments...]");
            System.exit(2);
        }
        Thread watchdog = new Thread(() -> haltAtEndOf(System.in), "loomzk-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            Class.forName(args[0]).getMethod("main", String[].class).invoke(null, (Object)
                    Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void haltAtEndOf(InputStream in) {
        byte[] sink = new byte[64];
        try {
            while (in.read(sink) >= 0) {
                // The parent never writes; anything read is ignored.
            }
        } catch (IOException e) {
            // A broken pipe means the same as end-of-file: the parent is gone.
        }
        System.err.println("loomzk: parent JVM is gone; halting");
        Runtime.getRuntime().halt(PARENT_GONE);
    }
}
