package io.loomzk.testing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where servers keep their data (removed on close) and their logs (kept).
 *
 * <p>Both go to a directory per JVM run under the log root: {@code -Dloomzk.testing.logDir}, else
 * {@code target/zk-testing} when the working directory has a {@code target} directory (as under
 * Maven), else {@code <tmpdir>/loomzk-testing}.
 */
public final class Dirs {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static Path runDir;

    private Dirs() {}

    /** This JVM's log directory, created on first use. */
    public static Path runDir() {
        LOCK.lock();
        try {
            if (runDir == null) {
                String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
                runDir = Files.createDirectories(
                        logRoot().resolve(stamp + "-" + ProcessHandle.current().pid()));
            }
            return runDir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the zk-testing log directory", e);
        } finally {
            LOCK.unlock();
        }
    }

    /** A name unique in this JVM: {@code prefix-<n>}. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet();
    }

    /**
     * A new empty directory for a server's data, under this run's directory ({@code data/}), so
     * that even what a killed JVM leaves behind is under {@code target/}. Servers delete theirs
     * when closed.
     */
    public static Path newTempDir(String prefix) {
        try {
            Path data = Files.createDirectories(runDir().resolve("data"));
            return Files.createTempDirectory(data, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data directory", e);
        }
    }

    /** Deletes {@code dir} and everything under it; best effort, never throws. */
    public static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.getLogger(Dirs.class.getName())
                    .log(System.Logger.Level.WARNING, "could not delete all of " + dir, e);
        }
    }

    private static Path logRoot() {
        String configured = System.getProperty("loomzk.testing.logDir");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path target = Path.of(System.getProperty("user.dir"), "target");
        if (Files.isDirectory(target)) {
            return target.resolve("zk-testing");
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "loomzk-testing");
    }
}
