package io.loomzk.testing.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A tiny shell process that SIGKILLs this JVM's child servers when this JVM dies.
 *
 * <p>{@link ChildMain}'s watchdog already halts a child whose parent died, but a child stopped
 * with SIGSTOP (a paused ensemble member) runs no code, so it would stay behind, stopped, for
 * ever. The reaper reads {@code +pid} and {@code -pid} lines on its stdin; when that pipe reaches
 * end-of-file (this JVM is gone, for whatever reason) it sends SIGKILL to every pid still listed,
 * which ends stopped processes too. One reaper serves the whole JVM; it starts with the first
 * child. Without {@code /bin/sh} it logs once and the watchdog is the only protection.
 *
 * <p>Thread safety: {@link #LOCK} guards {@link #stdin} and {@link #started}.
 */
public final class Reaper {
    private static final System.Logger LOG = System.getLogger(Reaper.class.getName());

    private static final String SCRIPT = """
            pids=' '
            while IFS= read -r line; do
              case $line in
                +*) pids="$pids${line#+} " ;;
                -*) keep=' '
                    for p in $pids; do [ "$p" = "${line#-}" ] || keep="$keep$p "; done
                    pids=$keep ;;
              esac
            done
            for p in $pids; do kill -9 "$p" 2>/dev/null; done
            """;

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static OutputStream stdin;
    private static boolean started;

    private Reaper() {}

    /** Adds {@code pid} to the processes killed when this JVM dies. */
    public static void watch(long pid) {
        send("+" + pid);
    }

    /** Removes {@code pid}, once that process has ended (its pid may be reused later). */
    public static void forget(long pid) {
        send("-" + pid);
    }

    private static void send(String line) {
        LOCK.lock();
        try {
            if (!started) {
                started = true;
                stdin = start();
            }
            if (stdin != null) {
                stdin.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
                stdin.flush();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "the child-process reaper stopped listening; relying on watchdogs only", e);
            stdin = null;
        } finally {
            LOCK.unlock();
        }
    }

    private static OutputStream start() {
        try {
            Process reaper = new ProcessBuilder("/bin/sh", "-c", SCRIPT)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return reaper.getOutputStream();
        } catch (IOException e) {
            LOG.log(
                    Level.WARNING,
                    "cannot start /bin/sh as child-process reaper; paused children may outlive this JVM",
                    e);
            return null;
        }
    }
}
