package io.loomzk.client;

import io.loomzk.client.internal.Failure;
import io.loomzk.client.internal.WatchSink;
import io.loomzk.protocol.EventType;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A one-shot watch: set once, by the event or by the end of the session. */
final class OneShotWatchImpl implements OneShotWatch, WatchSink {
    private final String path;
    private final CountDownLatch done = new CountDownLatch(1);
    /** A WatchedEvent or a Failure; set once, under the registry's lock. */
    private volatile Object outcome;

    OneShotWatchImpl(String path) {
        this.path = path;
    }

    @Override
    public boolean fire(int eventType, String clientPath, long zxid) {
        if (outcome == null) {
            outcome = new WatchedEvent(EventType.of(eventType), clientPath, zxid);
            done.countDown();
        }
        return true;
    }

    @Override
    public void end(Failure why) {
        if (outcome == null) {
            outcome = why;
            done.countDown();
        }
    }

    @Override
    public WatchedEvent await() throws InterruptedException {
        done.await();
        return result();
    }

    @Override
    public Optional<WatchedEvent> await(Duration timeout) throws InterruptedException {
        return done.await(timeout.toNanos(), TimeUnit.NANOSECONDS) ? Optional.of(result()) : Optional.empty();
    }

    @Override
    public Optional<WatchedEvent> poll() {
        return outcome == null ? Optional.empty() : Optional.of(result());
    }

    @Override
    public boolean isDone() {
        return outcome != null;
    }

    @Override
    public String path() {
        return path;
    }

    private WatchedEvent result() {
        Object o = outcome;
        if (o instanceof WatchedEvent event) {
            return event;
        }
        throw Errors.toException((Failure) o, path, false);
    }

    @Override
    public String toString() {
        Object o = outcome;
        return "OneShotWatch[" + path + (o == null ? ", waiting" : ", " + o) + "]";
    }
}
