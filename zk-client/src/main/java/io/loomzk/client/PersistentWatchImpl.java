package io.loomzk.client;

import io.loomzk.client.internal.Backlog;
import io.loomzk.client.internal.Errors;
import io.loomzk.client.internal.Failure;
import io.loomzk.client.internal.WatchSink;
import io.loomzk.protocol.EventType;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A persistent watch: a buffer the reader appends to and the user drains, bounded both by event
 * count and by an estimate of the bytes its events hold (paths can be long). The lock is held
 * only to move events in and out, never while waiting (the condition releases it).
 */
final class PersistentWatchImpl implements PersistentWatch, WatchSink, Backlog {
    private static final Object CLOSED = new Object();

    private final String path;
    private final int capacity;
    private final long capacityBytes;
    private final Consumer<PersistentWatchImpl> onClose;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Guarded by lock. */
    private final ArrayDeque<WatchedEvent> buffer = new ArrayDeque<>();
    /** Guarded by lock: null while live; then CLOSED, a Failure, or a WatchOverflow marker. */
    private Object end;
    /** Guarded by lock: the estimated bytes of the buffered events. */
    private long bufferedBytes;
    /** Guarded by lock: whether close() ran (its clean-up runs once). */
    private boolean closed;
    /**
     * Guarded by lock, for the backlog watchdog: since when (its clock) the buffer has been seen
     * without draining (0: not seen so), whether a take emptied it since the watchdog last looked,
     * and whether this stall was reported.
     */
    private long stalledSince;

    private boolean drained;
    private boolean reported;

    private record Overflow(int capacity, long capacityBytes) {}

    PersistentWatchImpl(String path, int capacity, long capacityBytes, Consumer<PersistentWatchImpl> onClose) {
        this.path = path;
        this.capacity = capacity;
        this.capacityBytes = capacityBytes;
        this.onClose = onClose;
    }

    @Override
    public boolean fire(int eventType, String clientPath, long zxid) {
        lock.lock();
        try {
            if (end != null) {
                return false;
            }
            long bytes = eventBytes(clientPath);
            if (buffer.size() >= capacity || bufferedBytes + bytes > capacityBytes) {
                end = new Overflow(capacity, capacityBytes);
                changed.signalAll();
                return false;
            }
            buffer.add(new WatchedEvent(EventType.of(eventType), clientPath, zxid));
            bufferedBytes += bytes;
            changed.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * What one buffered event holds, estimated high: the event, its path string (two bytes a
     * character, whatever the string's coding), their headers and the buffer's slot.
     */
    static long eventBytes(String clientPath) {
        return 80 + 2L * clientPath.length();
    }

    /** Takes the oldest event, or null. Call with the lock held. */
    private WatchedEvent take() {
        WatchedEvent event = buffer.poll();
        if (event != null) {
            bufferedBytes -= eventBytes(event.path());
            if (buffer.isEmpty()) {
                drained = true;
            }
        }
        return event;
    }

    @Override
    public Stall check(long nowNanos, long stallNanos) {
        lock.lock();
        try {
            if (end != null) {
                return null;
            }
            if (buffer.isEmpty()) {
                stalledSince = 0;
                drained = false;
                reported = false;
                return null;
            }
            if (drained || stalledSince == 0) {
                if (drained) {
                    reported = false; // it drained since the last look: a new backlog
                }
                drained = false;
                stalledSince = nowNanos;
            }
            long stalled = nowNanos - stalledSince;
            boolean half = 2L * buffer.size() >= capacity || 2 * bufferedBytes >= capacityBytes;
            if (reported || (stalled < stallNanos && !half)) {
                return null;
            }
            reported = true;
            return new Stall("PERSISTENT_WATCH", path, buffer.size(), bufferedBytes, stalled);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isOver() {
        lock.lock();
        try {
            return end != null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void end(Failure why) {
        lock.lock();
        try {
            if (end == null) {
                end = why == null ? CLOSED : why;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public WatchedEvent next() throws InterruptedException {
        lock.lock();
        try {
            while (buffer.isEmpty() && end == null) {
                changed.await();
            }
            WatchedEvent event = take();
            if (event != null) {
                return event;
            }
            throw endException();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<WatchedEvent> poll(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lock();
        try {
            while (buffer.isEmpty() && end == null && remaining > 0) {
                remaining = changed.awaitNanos(remaining);
            }
            WatchedEvent event = take();
            if (event != null || end == null || end == CLOSED) {
                return Optional.ofNullable(event);
            }
            throw endException();
        } finally {
            lock.unlock();
        }
    }

    private RuntimeException endException() {
        if (end == CLOSED) {
            return new NoSuchElementException("persistent watch on " + path + " is closed");
        }
        if (end instanceof Overflow o) {
            return new ZkException.WatchOverflow(path, o.capacity(), o.capacityBytes());
        }
        return Errors.toException((Failure) end, path, false);
    }

    @Override
    public Iterator<WatchedEvent> iterator() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                lock.lock();
                try {
                    while (buffer.isEmpty() && end == null) {
                        changed.await();
                    }
                    if (!buffer.isEmpty()) {
                        return true;
                    }
                    if (end == CLOSED) {
                        return false;
                    }
                    throw endException();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ZkException.Interrupted(path, false);
                } finally {
                    lock.unlock();
                }
            }

            @Override
            public WatchedEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("persistent watch on " + path + " is closed");
                }
                lock.lock();
                try {
                    return take();
                } finally {
                    lock.unlock();
                }
            }
        };
    }

    @Override
    public int buffered() {
        lock.lock();
        try {
            return buffer.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public void close() {
        boolean first;
        lock.lock();
        try {
            first = !closed;
            closed = true;
            if (end == null) {
                end = CLOSED;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (first) {
            onClose.accept(this); // unregisters, and removes the server's watch if it was the last
        }
    }

    @Override
    public String toString() {
        return "PersistentWatch[" + path + ", " + buffered() + " buffered]";
    }
}
