package io.loomzk.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.testing.internal.Dirs;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No server outlives the JVM that started it, even when that JVM is killed with SIGKILL. */
class ChildProcessCleanupIT {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"running", "pause"})
    void aServerDiesWithItsParentJvm(String mode) throws Exception {
        // The killed parent cannot clean up: give it a directory of its own to leave things in.
        Path leftovers = Files.createTempDirectory("loomzk-orphan-check-");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                "-Dloomzk.testing.mavenRepo=" + System.getProperty("loomzk.testing.mavenRepo", ""),
                "-Dloomzk.testing.logDir=" + leftovers,
                OrphanCheckMain.class.getName(),
                mode));
        Process parent = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .start();
        try {
            long serverPid = readServerPid(parent);
            ProcessHandle server = ProcessHandle.of(serverPid).orElseThrow();
            assertThat(server.isAlive()).isTrue();

            parent.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();

            // A running server's watchdog sees its stdin close; a paused one is SIGKILLed by the reaper.
            assertThat(server.onExit()
                            .completeOnTimeout(null, 15, TimeUnit.SECONDS)
                            .get())
                    .as("server process %d outlived its parent", serverPid)
                    .isNotNull();
            assertThat(server.isAlive()).isFalse();
        } finally {
            parent.destroyForcibly();
            Dirs.deleteTree(leftovers);
        }
    }

    private static long readServerPid(Process parent) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("server-pid=")) {
                return Long.parseLong(line.substring("server-pid=".length()));
            }
        }
        throw new AssertionError(
                "the parent JVM exited with " + parent.waitFor() + " before printing its server's pid");
    }
}
