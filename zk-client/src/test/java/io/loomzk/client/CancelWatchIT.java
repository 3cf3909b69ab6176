package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.protocol.EventType;
import io.loomzk.testing.ZkServer;
import io.loomzk.testing.internal.FourLetterWords;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link OneShotWatch#cancel()} removes the server's watch once no local watch needs it, counted
 * on a real server with the {@code wchs} four-letter word (one server per test: nothing else
 * watches there). {@code wchs} counts the data watches' paths per session (exists watches are data
 * watches there); it does not show child watches.
 */
@Timeout(120)
class CancelWatchIT {
    private ZkServer server;
    private ZkClient zk;
    private ZkClient other;

    @BeforeEach
    void start() {
        server = ZkServer.start();
        zk = ZkClient.builder(server.connectString()).build();
        other = ZkClient.builder(server.connectString()).build();
    }

    @AfterEach
    void stop() {
        zk.close();
        other.close();
        server.close();
    }

    private int serverWatches() throws IOException {
        String answer = FourLetterWords.ask(server.port(), "wchs", Duration.ofSeconds(5));
        return Integer.parseInt(FourLetterWords.value(answer, "Total watches:")
                .orElseThrow(() -> new AssertionError("no total in wchs answer: " + answer)));
    }

    /** Polls the server's watch count until it is {@code expected}, for at most 10 s. */
    private int serverWatchesEventually(int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int n = serverWatches();
        while (n != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
            n = serverWatches();
        }
        return n;
    }

    @Test
    void cancellingTheLastLocalWatchOfAKindRemovesTheServersWatch() throws Exception {
        String base = "/c-" + UUID.randomUUID();
        zk.create(base, null);
        OneShotWatch data1 = zk.getDataAndWatch(base).watch();
        OneShotWatch data2 = zk.getDataAndWatch(base).watch();
        OneShotWatch exists = zk.existsAndWatch(base).watch(); // a data watch on the server too
        OneShotWatch missing = zk.existsAndWatch(base + "/missing").watch();
        assertThat(serverWatches()).isEqualTo(2); // data on base, exists on missing

        assertThat(data1.cancel()).isTrue();
        assertThat(data2.cancel()).isTrue();
        Thread.sleep(300);
        assertThat(serverWatches())
                .as("the exists watch still needs the data watch")
                .isEqualTo(2);

        assertThat(exists.cancel()).isTrue();
        assertThat(serverWatchesEventually(1)).isEqualTo(1);
        assertThat(missing.cancel()).isTrue();
        assertThat(serverWatchesEventually(0)).isEqualTo(0);
        assertThat(data1.await()).isEqualTo(new WatchedEvent(EventType.DATA_WATCH_REMOVED, base, -1));
    }

    @Test
    void manyCancelledWatchesLeaveNoneOnTheServer() throws Exception {
        String base = "/m-" + UUID.randomUUID();
        zk.create(base, null);
        List<OneShotWatch> watches = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            watches.add(zk.existsAndWatch(base + "/n" + i).watch());
        }
        assertThat(serverWatches()).isEqualTo(500);
        watches.forEach(OneShotWatch::cancel);
        assertThat(serverWatchesEventually(0)).isEqualTo(0);
    }

    @Test
    void aWatchSetAgainRightAfterACancelStillFires() throws Exception {
        String base = "/r-" + UUID.randomUUID();
        zk.create(base, null);
        for (int round = 0; round < 30; round++) {
            OneShotWatch cancelled = zk.getDataAndWatch(base).watch();
            cancelled.cancel();
            // set again at once: the background removal of the old one may reach the server
            // after this read has set the new one there
            OneShotWatch kept = zk.getDataAndWatch(base).watch();
            Thread.sleep(round % 3 * 5);
            other.setData(base, new byte[] {(byte) round});
            Optional<WatchedEvent> event = kept.await(Duration.ofSeconds(10));
            assertThat(event).as("round " + round).isPresent();
            assertThat(event.get().type()).isEqualTo(EventType.NODE_DATA_CHANGED);
        }
    }
}
