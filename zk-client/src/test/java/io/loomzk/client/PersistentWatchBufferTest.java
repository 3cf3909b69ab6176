package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.protocol.EventType;
import org.junit.jupiter.api.Test;

/** The persistent watch's buffer accounts bytes in and out, and overflows at either bound. */
class PersistentWatchBufferTest {
    private static final String PATH = "/" + "p".repeat(999); // 1,000 chars: 2,080 bytes an event

    @Test
    void bytesTakenOutMakeRoomAgainAndTheByteBoundOverflows() throws Exception {
        PersistentWatchImpl watch = new PersistentWatchImpl("/", 1000, 5 * 2080, w -> {});
        for (int i = 0; i < 5; i++) {
            assertThat(watch.fire(EventType.NODE_CREATED.code(), PATH, i)).isTrue();
        }
        assertThat(watch.next().zxid()).isZero();
        assertThat(watch.next().zxid()).isEqualTo(1);
        assertThat(watch.fire(EventType.NODE_CREATED.code(), PATH, 5)).isTrue();
        assertThat(watch.fire(EventType.NODE_CREATED.code(), PATH, 6)).isTrue();
        assertThat(watch.buffered()).isEqualTo(5);
        assertThat(watch.fire(EventType.NODE_CREATED.code(), PATH, 7))
                .as("over the byte bound")
                .isFalse();
        for (int i = 2; i <= 6; i++) {
            assertThat(watch.next().zxid()).isEqualTo(i);
        }
        assertThatThrownBy(watch::next)
                .isInstanceOf(ZkException.WatchOverflow.class)
                .hasMessageContaining("10400 bytes");
    }

    @Test
    void shortPathsOverflowAtTheEventCount() {
        PersistentWatchImpl watch = new PersistentWatchImpl("/", 3, 1 << 20, w -> {});
        for (int i = 0; i < 3; i++) {
            assertThat(watch.fire(EventType.NODE_CREATED.code(), "/a", i)).isTrue();
        }
        assertThat(watch.fire(EventType.NODE_CREATED.code(), "/a", 3)).isFalse();
    }
}
