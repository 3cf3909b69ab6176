package io.loomzk.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.ZkClient;
import io.loomzk.testing.ZkProxy;
import io.loomzk.testing.ZkTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interactive shell driven through a real terminal: the shaded jar runs in a tmux pane,
 * keys are sent with {@code send-keys} and the screen is read with {@code capture-pane}.
 */
@ZkTest
class InteractiveIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path JAR = Path.of("target", "zk-cli.jar");

    @TempDir
    Path dir;

    /** This test's own tmux server's socket, in the test's directory; the server is killed afterwards. */
    private String socket;

    @BeforeEach
    void needsTmuxAndTheJar() {
        socket = dir.resolve("tmux.sock").toString();
        assumeTrue(Files.isRegularFile(JAR), "the shaded jar is built by package");
        assumeTrue(run(List.of("tmux", "-V")) == 0, "tmux is installed");
    }

    @AfterEach
    void killTmux() {
        run(List.of("tmux", "-S", socket, "kill-server"));
    }

    @Test
    void editsCompletesReportsLostConnectionsAndKeepsHistory(ZkProxy proxy) throws Exception {
        try (ZkClient zk = ZkClient.builder(proxy.connectString()).build()) {
            zk.create("/alpha", "a".getBytes(StandardCharsets.UTF_8), CreateOptions.persistent());
            zk.create("/alpha/beta1", "b1".getBytes(StandardCharsets.UTF_8), CreateOptions.persistent());
            zk.create("/alpha/beta2", "b2".getBytes(StandardCharsets.UTF_8), CreateOptions.persistent());
        }
        Path history = dir.resolve("history");
        start("one", proxy.connectString(), history);
        awaitScreen("one", InteractiveIT::prompted);

        // Tab completes the command, then the path to the common prefix of beta1 and beta2.
        keys("one", "ge", "Tab");
        awaitScreen("one", s -> s.contains("getAllChildrenNumber"));
        keys("one", " /alpha/be", "Tab");
        awaitScreen("one", s -> s.contains("get /alpha/beta"));
        keys("one", "1", "Enter");
        awaitScreen("one", s -> s.lines().anyMatch(l -> l.equals("b1")));

        keys("one", "lss /alpha", "Enter");
        awaitScreen("one", s -> s.contains("unknown command 'lss'; did you mean 'ls'?"));

        // A lost connection is reported, and the shell reconnects by itself.
        proxy.cutAll();
        awaitScreen("one", s -> s.contains("[connection lost; reconnecting]") && s.contains("[reconnected]"));
        keys("one", "get /alpha/beta2", "Enter");
        awaitScreen("one", s -> s.lines().anyMatch(l -> l.equals("b2")));
        assertThat(screen("one")).doesNotContain("Exception");

        keys("one", "quit", "Enter");
        awaitGone("one");
        assertThat(Files.readString(history)).contains("get /alpha/beta1", "lss /alpha", "get /alpha/beta2");

        // History is there in the next run: Up recalls the lines before, and `history` lists them.
        start("two", proxy.connectString(), history);
        awaitScreen("two", InteractiveIT::prompted);
        keys("two", "Up");
        awaitScreen("two", s -> s.contains("> quit"));
        keys("two", "Up");
        awaitScreen("two", s -> s.contains("> get /alpha/beta2"));
        keys("two", "C-u", "history", "Enter");
        awaitScreen("two", s -> s.contains("get /alpha/beta1") && s.contains("lss /alpha"));
        keys("two", "C-d");
        awaitGone("two");
    }

    /** Whether the prompt is on the screen (capture-pane drops its trailing space). */
    private static boolean prompted(String screen) {
        return screen.lines().anyMatch(l -> l.startsWith("loomzk ") && l.endsWith(">"));
    }

    private void start(String name, String connect, Path history) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "LOOMZK_HISTORY='" + history + "' '" + java + "' -jar '" + JAR.toAbsolutePath()
                + "' --connect '" + connect + "'";
        assertThat(run(List.of(
                        "tmux", "-S", socket, "new-session", "-d", "-s", name, "-x", "220", "-y", "50", command)))
                .isZero();
    }

    private void keys(String name, String... keys) {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket, "send-keys", "-t", name));
        cmd.addAll(List.of(keys));
        assertThat(run(cmd)).isZero();
    }

    private String screen(String name) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("tmux", "-S", socket, "capture-pane", "-p", "-t", name)
                .redirectErrorStream(true)
                .start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return text;
    }

    private void awaitScreen(String name, Predicate<String> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = screen(name);
            if (condition.test(last)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the screen never showed what was expected; it shows:\n" + last + threads(name));
    }

    /** The shell's threads, for a failure message. */
    private String threads(String name) {
        try {
            Process p = new ProcessBuilder("tmux", "-S", socket, "display", "-p", "-t", name, "#{pane_pid}")
                    .redirectErrorStream(true)
                    .start();
            String pid = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            String jstack =
                    Path.of(System.getProperty("java.home"), "bin", "jstack").toString();
            Process j =
                    new ProcessBuilder(jstack, pid).redirectErrorStream(true).start();
            String out = new String(j.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            j.waitFor(30, TimeUnit.SECONDS);
            return "\nthreads of " + pid + ":\n" + out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private void awaitGone(String name) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (run(List.of("tmux", "-S", socket, "has-session", "-t", name)) != 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the shell did not exit; the screen shows:\n" + screen(name));
    }

    private static int run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
