package io.loomzk.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.ZkClient;
import io.loomzk.testing.LogCapture;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkTest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A tree cache's consumer that stops reading while a writer changes the tree is reported once,
 * by the cache's root, until it drains; then, falling behind again, once more. A cache whose
 * stream nobody reads is not reported. Against a real server; no time is asserted beyond
 * generous bounds for a warning to come.
 */
@ZkTest
@Timeout(180)
class CacheSlowConsumerIT {
    private static final String DATA_MARK = "cache-data-that-must-not-be-logged";
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    @Test
    void aConsumerThatFallsBehindIsWarnedOnceUntilItDrains(@ZkConnectString String direct) throws Exception {
        LogCapture log = LogCapture.start("io.loomzk", null);
        List<String> lines = log.lines();
        try (ZkClient writer = ZkClient.builder(direct).build();
                ZkClient zk = ZkClient.builder(direct).build()) {
            writer.create("/slow-cache", null);
            writer.create("/slow-cache/a", null);
            writer.create("/unread-cache", null);
            try (TreeCache<byte[]> cache = TreeCache.builder(zk, "/slow-cache")
                            .slowConsumerWarning(Duration.ofSeconds(1))
                            .build();
                    TreeCache<byte[]> unread = TreeCache.builder(zk, "/unread-cache")
                            .slowConsumerWarning(Duration.ofSeconds(1))
                            .build()) {
                cache.start();
                unread.start();
                assertThat(cache.awaitInitialized(Duration.ofSeconds(60))).isTrue();
                assertThat(unread.awaitInitialized(Duration.ofSeconds(60))).isTrue();
                assertThat(cache.next().type()).isEqualTo(CacheEvent.Type.INITIALIZED); // a consumer

                int written =
                        writeUntil(writer, () -> warnings(lines, "/slow-cache").size() == 1);
                writeTimes(writer, 10); // still behind: no second warning
                assertThat(warnings(lines, "/slow-cache")).hasSize(1);
                assertThat(drain(cache)).isGreaterThanOrEqualTo(written);

                writeUntil(writer, () -> warnings(lines, "/slow-cache").size() == 2);
                assertThat(warnings(lines, "/slow-cache"))
                        .hasSize(2)
                        .allSatisfy(l -> assertThat(l).contains("WARNING").doesNotContain(DATA_MARK));
                assertThat(warnings(lines, "/unread-cache"))
                        .as("a stream nobody reads")
                        .isEmpty();
                assertThat(lines).noneMatch(l -> l.contains(DATA_MARK));
            }
        } finally {
            log.close();
        }
    }

    private static List<String> warnings(List<String> lines, String root) {
        return lines.stream()
                .filter(l -> l.contains("slow consumer of the tree cache of " + root + ":"))
                .toList();
    }

    private static void writeTimes(ZkClient writer, int n) {
        for (int i = 0; i < n; i++) {
            byte[] data = (DATA_MARK + i).getBytes(UTF_8);
            writer.setData("/slow-cache/a", data);
            writer.setData("/unread-cache", data);
        }
    }

    /** Changes the trees every 50 ms until {@code done} (30 s at most); returns how many times. */
    private static int writeUntil(ZkClient writer, java.util.function.BooleanSupplier done)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        int n = 0;
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("a warning within 30 s").isLessThan(deadline);
            writeTimes(writer, 1);
            n++;
            Thread.sleep(50);
        }
        return n;
    }

    private static int drain(TreeCache<byte[]> cache) throws InterruptedException {
        int n = 0;
        for (Optional<CacheEvent<byte[]>> e = cache.poll(Duration.ofSeconds(1));
                e.isPresent();
                e = cache.poll(Duration.ofSeconds(1))) {
            n++;
        }
        return n;
    }
}
