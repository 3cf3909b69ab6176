package io.loomzk.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.client.ZkException;
import org.junit.jupiter.api.Test;

class EventBacklogTest {

    private static CacheEvent<byte[]> event(String path) {
        return CacheEvent.change(CacheEvent.Type.CREATED, path, null, null, 1);
    }

    @Test
    void passingTheEventBoundDropsTheBacklogForOneOverflowEntryUntilResumed() throws Exception {
        EventBacklog<byte[]> backlog = new EventBacklog<>(3, 1_000_000);
        for (int i = 0; i < 3; i++) {
            backlog.publish(event("/" + i), 10);
        }
        assertThat(backlog.size()).isEqualTo(3);
        backlog.publish(event("/3"), 10);
        backlog.publish(event("/4"), 10); // dropped: still overflowed
        assertThat(backlog.size()).isEqualTo(1);
        assertThat(backlog.take(0).type()).isEqualTo(CacheEvent.Type.OVERFLOW);
        backlog.publish(event("/5"), 10); // dropped until the consumer resumes
        assertThat(backlog.resume()).isEqualTo(6);
        backlog.publish(event("/6"), 10);
        assertThat(backlog.take(0).path()).isEqualTo("/6");
        assertThat(backlog.take(0)).isNull();
    }

    @Test
    void passingTheByteBoundOverflowsToo() throws Exception {
        EventBacklog<byte[]> backlog = new EventBacklog<>(1_000, 100);
        backlog.publish(event("/a"), 60);
        assertThat(backlog.bytes()).isEqualTo(60);
        backlog.publish(event("/b"), 60);
        assertThat(backlog.bytes()).isZero();
        assertThat(backlog.take(0).type()).isEqualTo(CacheEvent.Type.OVERFLOW);
    }

    @Test
    void anEndedStreamYieldsWhatIsBufferedThenItsReason() throws Exception {
        EventBacklog<byte[]> backlog = new EventBacklog<>(10, 1_000);
        backlog.publish(event("/a"), 10);
        backlog.end(new ZkException.SessionExpired("/", false));
        backlog.publish(event("/b"), 10); // ignored after the end
        assertThat(backlog.take(0).path()).isEqualTo("/a");
        assertThatThrownBy(() -> backlog.take(0)).isInstanceOf(ZkException.SessionExpired.class);
    }

    @Test
    void aClosedStreamEndsQuietlyAfterItsBufferedEvents() throws Exception {
        EventBacklog<byte[]> backlog = new EventBacklog<>(10, 1_000);
        backlog.publish(event("/a"), 10);
        backlog.end(null);
        assertThat(backlog.isClosedAndDrained()).isFalse();
        assertThat(backlog.take(Long.MAX_VALUE).path()).isEqualTo("/a");
        assertThat(backlog.take(Long.MAX_VALUE)).isNull();
        assertThat(backlog.isClosedAndDrained()).isTrue();
    }
}
