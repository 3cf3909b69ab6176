package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.protocol.AddWatchMode;
import io.loomzk.testing.ZkServer;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A persistent watch nobody reads, fed events whose paths are 3 KiB long: its buffer overflows at
 * its byte bound, long before its event count bound, so memory stays bounded (a few MiB here,
 * never near the heap).
 */
@Timeout(120)
class WatchBufferBytesIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String LONG_NAME = "n".repeat(3000);
    private static ZkServer server;

    @BeforeAll
    static void start() {
        server = ZkServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Creates {@code n} nodes with 3 KiB names under {@code base}, then base/last. */
    private static void createLongPaths(ZkClient zk, String base, int n) {
        for (int i = 0; i < n; i++) {
            zk.create(base + "/" + i + LONG_NAME, null);
        }
        zk.create(base + "/last", null);
    }

    @Test
    void byDefaultABufferOfLongPathsOverflowsAtAFewMebibytesNotAtItsEventCount() throws Exception {
        try (ZkClient zk = ZkClient.builder(server.connectString()).build()) {
            String base = "/b-" + UUID.randomUUID();
            zk.create(base, null);
            PersistentWatch neverRead = zk.addWatch(base, AddWatchMode.PERSISTENT_RECURSIVE);
            OneShotWatch last = zk.existsAndWatch(base + "/last").watch();
            createLongPaths(zk, base, 1000); // about 6 MB of paths by the estimate, 1,001 events
            assertThat(last.await(WAIT)).isPresent();

            int buffered = neverRead.buffered();
            long perEvent = 80 + 2L * (base.length() + 1 + 4 + LONG_NAME.length());
            assertThat(buffered).isPositive().isLessThan(1000);
            assertThat(buffered * perEvent).isLessThanOrEqualTo(4L << 20);
            for (int i = 0; i < buffered; i++) {
                neverRead.next();
            }
            assertThatThrownBy(neverRead::next)
                    .isInstanceOf(ZkException.WatchOverflow.class)
                    .hasMessageContaining("4194304 bytes");
        }
    }

    @Test
    void theByteBoundIsASetting() throws Exception {
        try (ZkClient zk = ZkClient.builder(server.connectString())
                .watchBufferBytes(256 * 1024)
                .build()) {
            String base = "/s-" + UUID.randomUUID();
            zk.create(base, null);
            PersistentWatch neverRead = zk.addWatch(base, AddWatchMode.PERSISTENT_RECURSIVE);
            OneShotWatch last = zk.existsAndWatch(base + "/last").watch();
            createLongPaths(zk, base, 100);
            assertThat(last.await(WAIT)).isPresent();
            long perEvent = 80 + 2L * (base.length() + 1 + 2 + LONG_NAME.length());
            assertThat(neverRead.buffered()).isPositive().isLessThanOrEqualTo((int) (256 * 1024 / perEvent));
        }
        assertThatThrownBy(() -> ZkClient.builder("127.0.0.1:1").watchBufferBytes(10))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
