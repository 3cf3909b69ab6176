package io.loomzk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.ZkClient;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkTest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tab completion of commands, options and znode paths, against a real server. */
@ZkTest
class CompleterIT {

    @Test
    void completesCommandsOptionsAndPaths(@ZkConnectString String cs) {
        try (ZkClient zk = ZkClient.builder(cs).build()) {
            zk.create("/alpha", new byte[0], CreateOptions.persistent());
            zk.create("/alpha/beta1", new byte[0], CreateOptions.persistent());
            zk.create("/alpha/beta2", new byte[0], CreateOptions.persistent());
            zk.create("/alpha/gamma", new byte[0], CreateOptions.persistent());
            zk.create("/apple", new byte[0], CreateOptions.persistent());
        }
        StringWriter sink = new StringWriter();
        try (Shell shell = new Shell(new PrintWriter(sink), new PrintWriter(sink))) {
            ShellCompleter completer = new ShellCompleter(new Main(shell).commandLine(shell.out, shell.err), shell);
            shell.configure(cs, Duration.ofSeconds(10), List.of());

            assertThat(values(completer.complete(List.of(), "getA"))).containsExactly("getAcl", "getAllChildrenNumber");
            assertThat(values(completer.complete(List.of(), "tr"))).containsExactly("trace", "tree");
            assertThat(values(completer.complete(List.of("ls"), "-"))).contains("-s", "-R", "-w", "--json");

            // Paths complete only once a session is open (completion never opens one).
            assertThat(completer.complete(List.of("get"), "/a")).isEmpty();
            shell.client();

            assertThat(values(completer.complete(List.of("get"), "/a"))).containsExactly("/alpha", "/apple");
            assertThat(values(completer.complete(List.of("get"), "/alpha/b")))
                    .containsExactly("/alpha/beta1", "/alpha/beta2");
            assertThat(values(completer.complete(List.of("get", "-s"), "/alpha/")))
                    .containsExactly("/alpha/beta1", "/alpha/beta2", "/alpha/gamma");
            assertThat(completer.complete(List.of("get"), "/alpha/b"))
                    .allSatisfy(c ->
                            assertThat(c.complete()).as("no space after a path").isFalse())
                    .extracting(ShellCompleter.Completion::display)
                    .containsExactly("beta1", "beta2");
            assertThat(completer.complete(List.of("get"), "/missing/x")).isEmpty();
            assertThat(completer.complete(List.of("get"), "/alpha//")).isEmpty();
        }
    }

    private static List<String> values(List<ShellCompleter.Completion> completions) {
        return completions.stream().map(ShellCompleter.Completion::value).toList();
    }
}
