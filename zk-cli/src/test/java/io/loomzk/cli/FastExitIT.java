package io.loomzk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.ZkClient;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar's one-shot commands with the launcher's fast exit ({@code _exit} through the
 * foreign-function API): everything written arrives, and the exit status is the command's.
 */
@ZkTest
class FastExitIT {
    private static final Path JAR = Path.of("target", "zk-cli.jar");

    private record Run(int status, String out, String err) {}

    private static Run run(boolean fast, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dloomzk.fastExit=" + fast,
                "--enable-native-access=ALL-UNNAMED",
                "-jar",
                JAR.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void aFastExitKeepsTheOutputAndTheStatus(@ZkConnectString String cs) throws Exception {
        assertThat(Files.exists(JAR))
                .as("the shaded jar (built in the package phase)")
                .isTrue();
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            big.append(i % 10);
        }
        try (ZkClient zk = ZkClient.builder(cs).build()) {
            zk.create("/fast", big.toString().getBytes(StandardCharsets.UTF_8));
        }
        for (boolean fast : new boolean[] {true, false}) {
            Run found = run(fast, "--connect", cs, "get", "/fast");
            assertThat(found.status()).as("fast=" + fast).isZero();
            assertThat(found.out().strip())
                    .as("all 20,000 characters, fast=" + fast)
                    .isEqualTo(big.toString());
            assertThat(found.err()).doesNotContain("WARNING");

            Run missing = run(fast, "--connect", cs, "get", "/missing");
            assertThat(missing.status()).as("fast=" + fast).isEqualTo(3);
            assertThat(missing.err()).contains("/missing");
        }
    }
}
