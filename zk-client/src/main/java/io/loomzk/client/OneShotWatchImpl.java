package io.loomzk.client;

import io.loomzk.client.internal.Errors;
import io.loomzk.client.internal.Failure;
import io.loomzk.client.internal.WatchSink;
import io.loomzk.client.internal.Watches;
import io.loomzk.protocol.EventType;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A one-shot watch: settled once, by its event, by the end of the session, or by
 * {@link #cancel()}; whichever comes first wins (compare-and-set), the others are ignored.
 */
final class OneShotWatchImpl implements OneShotWatch, WatchSink {
    private final String path;
    private final EventType removedType;
    private final CountDownLatch done = new CountDownLatch(1);
    /** A WatchedEvent or a Failure. */
    private final AtomicReference<Object> outcome = new AtomicReference<>();
    /** Set once, right after construction, before the call that sets the watch is sent. */
    private volatile Watches.Registration registration;

    /**
     * @param removedType the event a cancelled watch gets: {@code DATA_WATCH_REMOVED} for data
     *     and exists watches, {@code CHILD_WATCH_REMOVED} for child watches
     */
    OneShotWatchImpl(String path, EventType removedType) {
        this.path = path;
        this.removedType = removedType;
    }

    /** Attaches the registration this watch cancels; returns it, for the call that sets the watch. */
    Watches.Registration attach(Watches.Registration registration) {
        this.registration = registration;
        return registration;
    }

    private boolean settle(Object value) {
        if (outcome.compareAndSet(null, value)) {
            done.countDown();
            return true;
        }
        return false;
    }

    @Override
    public boolean fire(int eventType, String clientPath, long zxid) {
        settle(new WatchedEvent(EventType.of(eventType), clientPath, zxid));
        return true;
    }

    @Override
    public void end(Failure why) {
        settle(why);
    }

    @Override
    public boolean cancel() {
        Watches.Registration r = registration;
        if (r != null) {
            // unregisters it (or keeps a pending reply from registering it), and removes the
            // server's watch in the background when no other local watch needs it
            r.cancelEverywhere();
        }
        return settle(new WatchedEvent(removedType, path, -1));
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
        return outcome.get() == null ? Optional.empty() : Optional.of(result());
    }

    @Override
    public boolean isDone() {
        return outcome.get() != null;
    }

    @Override
    public String path() {
        return path;
    }

    private WatchedEvent result() {
        Object o = outcome.get();
        if (o instanceof WatchedEvent event) {
            return event;
        }
        throw Errors.toException((Failure) o, path, false);
    }

    @Override
    public String toString() {
        Object o = outcome.get();
        return "OneShotWatch[" + path + (o == null ? ", waiting" : ", " + o) + "]";
    }
}
