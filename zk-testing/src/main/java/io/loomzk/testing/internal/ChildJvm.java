package io.loomzk.testing.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * One child JVM running a ZooKeeper main class under {@link ChildMain}'s watchdog.
 *
 * <p>The child uses this JVM's own {@code java} binary. Its stdout and stderr are appended to a
 * log file. Three things end it when this JVM ends: a shutdown hook (normal exit), the watchdog
 * (this JVM killed; the child sees end-of-file on stdin), and the {@link Reaper} (this JVM killed
 * while the child is stopped by SIGSTOP).
 *
 * <p>Thread safety: the process handle is final; {@link #LIVE} is concurrent. Signals may be
 * sent from any thread.
 */
public final class ChildJvm {
    private static final System.Logger LOG = System.getLogger(ChildJvm.class.getName());

    /** Flags that make a small server JVM start fast on a small, shared machine. */
    private static final List<String> BASE_OPTIONS = List.of(
            "-Xms16m",
            "-Xmx256m",
            "-Xss512k",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:-UsePerfData",
            "-XX:+ExitOnOutOfMemoryError",
            "-Djava.awt.headless=true");

    private static final Set<ChildJvm> LIVE = ConcurrentHashMap.newKeySet();
    private static final ReentrantLock LAUNCHER_LOCK = new ReentrantLock();
    private static Path launcherDir;

    static {
        Thread hook = new Thread(ChildJvm::killAll, "loomzk-child-jvm-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private final String name;
    private final Process process;
    private final Path log;

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code mainClass} with {@code args} in a new JVM; returns once the process exists.
     *
     * @param classpath the server's jars ({@link ChildMain} is added)
     * @param options JVM options added after the base ones (system properties and the like)
     * @throws UncheckedIOException if the process cannot be started
     */
    public static ChildJvm start(
            String name, List<Path> classpath, String mainClass, List<String> args, List<String> options, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(BASE_OPTIONS);
        command.addAll(options);
        command.add("-cp");
        List<Path> cp = new ArrayList<>(classpath);
        cp.add(launcherDir());
        command.add(cp.stream().map(Path::toString).collect(Collectors.joining(java.io.File.pathSeparator)));
        command.add(ChildMain.class.getName());
        command.add(mainClass);
        command.addAll(args);
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(
                    log,
                    "# " + name + ": " + String.join(" ", command) + "\n",
                    StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            ChildJvm child = new ChildJvm(name, process, log);
            LIVE.add(child);
            Reaper.watch(process.pid());
            process.onExit().thenRun(() -> {
                LIVE.remove(child);
                Reaper.forget(process.pid());
            });
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start child JVM " + name, e);
        }
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    /** Whether the child is still running (a stopped child is alive). */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** The file the child's output goes to. */
    public Path log() {
        return log;
    }

    /** Sends SIGKILL and waits for the process to end (at most 10 s). */
    public void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /**
     * Sends SIGTERM (the JVM runs its shutdown hooks), waits up to {@code grace}, then SIGKILL.
     * A stopped child is continued first so that it can handle the signal.
     */
    public void terminate(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        signal("CONT");
        if (!awaitExit(grace)) {
            LOG.log(Level.WARNING, "{0} ignored SIGTERM for {1}; sending SIGKILL", name, grace);
            kill();
        }
    }

    /**
     * Sends a signal by name ({@code STOP}, {@code CONT}) with the system's {@code kill} command.
     *
     * @throws IllegalStateException if {@code kill} fails while the child is alive
     */
    public void signal(String signal) {
        if (!process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .start();
            String out;
            try (InputStream in = kill.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " did not finish");
            }
            if (kill.exitValue() != 0 && process.isAlive()) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill -" + signal, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + signal + " to " + name, e);
        }
    }

    /** Waits until the process ends; returns false on timeout. Restores the interrupt flag. */
    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** The exit status, or -1 while the process runs. */
    public int exitValue() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    /** The last {@code maxBytes} of the log, for error messages. */
    public String tail(int maxBytes) {
        return tail(log, maxBytes);
    }

    /** The last {@code maxBytes} of {@code file}, or a note that it cannot be read. */
    public static String tail(Path file, int maxBytes) {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, raf.length() - maxBytes);
            byte[] bytes = new byte[(int) (raf.length() - start)];
            raf.seek(start);
            raf.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ")";
    }

    private static void killAll() {
        for (ChildJvm child : LIVE) {
            child.process.destroyForcibly();
        }
        for (ChildJvm child : LIVE) {
            child.awaitExit(Duration.ofSeconds(5));
            Reaper.forget(child.pid());
        }
    }

    /** A directory holding only ChildMain.class, copied from this class's own class loader. */
    private static Path launcherDir() {
        LAUNCHER_LOCK.lock();
        try {
            if (launcherDir == null) {
                Path dir = Dirs.runDir().resolve("launcher");
                String resource = ChildMain.class.getName().replace('.', '/') + ".class";
                Path file = dir.resolve(resource);
                Files.createDirectories(file.getParent());
                try (InputStream in = ChildJvm.class.getClassLoader().getResourceAsStream(resource);
                        OutputStream out = Files.newOutputStream(file)) {
                    if (in == null) {
                        throw new IOException("resource " + resource + " not found");
                    }
                    in.transferTo(out);
                }
                launcherDir = dir;
            }
            return launcherDir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the child JVM launcher", e);
        } finally {
            LAUNCHER_LOCK.unlock();
        }
    }
}
