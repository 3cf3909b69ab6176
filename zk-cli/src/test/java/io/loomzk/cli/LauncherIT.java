package io.loomzk.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.loomzk.client.ZkClient;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher ({@code launch.sh}, what {@code ./loomzk shell} runs) against a real server, on a
 * copy of the shaded jar: the first run of a build writes the class data, later runs use it, a
 * rebuilt jar never runs with the class data of the previous build, and no run prints anything of
 * its own on either stream. Whether a run used the class data is read from the JVM's class-loading
 * log: the shell's main class then comes from the "shared objects file".
 */
@ZkTest
class LauncherIT {
    private static final Path SCRIPT = Path.of("launch.sh").toAbsolutePath();
    private static final Path BUILT_JAR = Path.of("target", "zk-cli.jar").toAbsolutePath();
    private static final Duration CACHE_DEADLINE = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private record Run(int status, String out, String err, boolean mainFromClassData) {}

    private Run run(String classData, Path jar, String... args) throws IOException, InterruptedException {
        Path log = dir.resolve("classes-" + System.nanoTime() + ".log");
        List<String> command = new ArrayList<>(List.of(
                "bash",
                "-c",
                "set -euo pipefail; source \"$0\"; loomzk_shell_exec \"$@\"",
                SCRIPT.toString(),
                System.getProperty("java.home"),
                jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("LOOMZK_CLASS_DATA", classData);
        pb.environment().put("LOOMZK_JAVA_OPTS", "-Xlog:class+load=info:file=" + log);
        Process p = pb.start();
        p.getOutputStream().close();
        // Read both streams to their end: a launcher whose background work kept them open would
        // hang here (and the test's timeout would say so).
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        boolean shared = Files.exists(log)
                && Files.readAllLines(log).stream()
                        .anyMatch(l -> l.contains(" io.loomzk.cli.Main source: shared objects file"));
        return new Run(
                p.exitValue(),
                new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8),
                shared);
    }

    private static void assertQuietGet(Run r) {
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.out()).as(r.toString()).isEqualTo("hello\n");
        assertThat(r.err()).as(r.toString()).isEmpty();
    }

    /**
     * Waits for the background training to have written the cache and finished (its marker gone),
     * so that nothing writes into the directory after the test.
     */
    private static void awaitCache(Path cache) throws InterruptedException {
        Path training = cache.resolveSibling(cache.getFileName() + ".training");
        Instant deadline = Instant.now().plus(CACHE_DEADLINE);
        while (!Files.exists(cache) || Files.exists(training)) {
            assertThat(Instant.now())
                    .as(cache + " written in the background within " + CACHE_DEADLINE)
                    .isBefore(deadline);
            Thread.sleep(100);
        }
        assertThat(cache.resolveSibling(cache.getFileName() + ".failed")).doesNotExist();
    }

    /** A new build of the jar: one more entry, so other bytes, a later time and another size. */
    private static void rebuild(Path jar) throws IOException {
        Files.copy(BUILT_JAR, jar, StandardCopyOption.REPLACE_EXISTING);
        try (FileSystem zip = FileSystems.newFileSystem(jar)) {
            Files.writeString(zip.getPath("rebuilt.txt"), Instant.now().toString());
        }
    }

    private static void createA(String cs) {
        try (ZkClient zk = ZkClient.builder(cs).build()) {
            zk.create("/a", "hello".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void theAotCacheIsWrittenInTheBackgroundUsedAndRebuiltWithTheJar(@ZkConnectString String cs) throws Exception {
        assumeThat(Runtime.version().feature())
                .as("the AOT cache path is JDK 25+")
                .isGreaterThanOrEqualTo(25);
        createA(cs);
        Path jar = dir.resolve("zk-cli.jar");
        Files.copy(BUILT_JAR, jar);
        Path cache = dir.resolve("zk-cli.aot");

        Run first = run("auto", jar, "--connect", cs, "get", "/a");
        assertQuietGet(first);
        assertThat(first.mainFromClassData()).isFalse();
        awaitCache(cache);
        Run cached = run("auto", jar, "--connect", cs, "get", "/a");
        assertQuietGet(cached);
        assertThat(cached.mainFromClassData())
                .as("the second run uses the cache")
                .isTrue();

        rebuild(jar);
        Run afterRebuild = run("auto", jar, "--connect", cs, "get", "/a");
        assertQuietGet(afterRebuild);
        assertThat(afterRebuild.mainFromClassData())
                .as("the previous build's cache is not used")
                .isFalse();
        awaitCache(cache);
        assertThat(Files.getLastModifiedTime(cache).toInstant())
                .as("a cache for the new jar")
                .isAfter(Files.getLastModifiedTime(jar).toInstant());
        Run recached = run("auto", jar, "--connect", cs, "get", "/a");
        assertQuietGet(recached);
        assertThat(recached.mainFromClassData()).isTrue();

        // A failing command's status and message come through the recording run unchanged.
        Files.delete(cache);
        Run missing = run("auto", jar, "--connect", cs, "get", "/missing");
        assertThat(missing.status()).isEqualTo(3);
        assertThat(missing.out()).isEmpty();
        assertThat(missing.err()).isEqualTo("error: no node /missing\n");
        awaitCache(cache);
    }

    @Test
    void theCdsArchiveIsWrittenAtTheFirstExitUsedAndDroppedWithTheJar(@ZkConnectString String cs) throws Exception {
        createA(cs);
        Path jar = dir.resolve("zk-cli.jar");
        Files.copy(BUILT_JAR, jar);
        Path archive = dir.resolve("zk-cli.jsa");

        Run first = run("cds", jar, "--connect", cs, "get", "/a");
        assertQuietGet(first);
        assertThat(first.mainFromClassData()).isFalse();
        assertThat(archive).exists();
        Run archived = run("cds", jar, "--connect", cs, "get", "/a");
        assertQuietGet(archived);
        assertThat(archived.mainFromClassData()).isTrue();

        rebuild(jar);
        Run afterRebuild = run("cds", jar, "--connect", cs, "get", "/a");
        assertQuietGet(afterRebuild);
        assertThat(afterRebuild.mainFromClassData())
                .as("the previous build's archive is not used")
                .isFalse();
        assertThat(Files.getLastModifiedTime(archive).toInstant())
                .isAfter(Files.getLastModifiedTime(jar).toInstant());
        Run rearchived = run("cds", jar, "--connect", cs, "get", "/a");
        assertQuietGet(rearchived);
        assertThat(rearchived.mainFromClassData()).isTrue();
    }
}
