package io.loomzk.recipes;

import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A cache's change stream: bounded in events and in bytes. The cache appends, the consumer takes
 * on its own thread. When an append would pass a bound, everything buffered is dropped, an
 * overflow marker takes its place, and appends are dropped until the consumer has taken the
 * marker and called {@link #resume()}. The lock is held only to move entries, never to wait.
 */
final class EventBacklog<V> {
    private static final Object CLOSED = new Object();

    private final int maxEvents;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Guarded by lock: events with their accounted sizes. */
    private final ArrayDeque<Entry<V>> queue = new ArrayDeque<>();
    /** Guarded by lock. */
    private long bytes;
    /** Guarded by lock: true from an overflow until {@link #resume()}. */
    private boolean overflowed;
    /** Guarded by lock: events dropped since the last resume. */
    private long dropped;
    /** Guarded by lock: null while open; CLOSED, or the RuntimeException that ended the stream. */
    private Object end;

    private record Entry<V>(CacheEvent<V> event, long size) {}

    EventBacklog(int maxEvents, long maxBytes) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
    }

    /** Appends, or drops everything and marks an overflow when a bound would be passed. */
    void publish(CacheEvent<V> event, long size) {
        lock.lock();
        try {
            if (end != null) {
                return;
            }
            if (overflowed) {
                dropped++;
                return;
            }
            if (queue.size() >= maxEvents || bytes + size > maxBytes) {
                dropped += queue.size() + 1;
                queue.clear();
                bytes = 0;
                overflowed = true;
                queue.add(new Entry<>(
                        new CacheEvent<>(CacheEvent.Type.OVERFLOW, event.path(), null, null, -1, java.util.Map.of()),
                        0));
                changed.signalAll();
                return;
            }
            queue.add(new Entry<>(event, size));
            bytes += size;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Blocks up to {@code nanos} for the next entry; null on timeout, or when closed and drained. */
    CacheEvent<V> take(long nanos) throws InterruptedException {
        lock.lock();
        try {
            long remaining = nanos;
            while (queue.isEmpty() && end == null) {
                if (remaining <= 0) {
                    return null;
                }
                remaining = changed.awaitNanos(remaining);
            }
            Entry<V> e = queue.poll();
            if (e != null) {
                bytes -= e.size();
                return e.event();
            }
            if (end == CLOSED) {
                return null;
            }
            throw (RuntimeException) end;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the stream was closed and is drained (so that {@code next()} can say so). */
    boolean isClosedAndDrained() {
        lock.lock();
        try {
            return end == CLOSED && queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the overflow: appends are buffered again. Returns how many events were dropped. */
    long resume() {
        lock.lock();
        try {
            overflowed = false;
            long d = dropped;
            dropped = 0;
            return d;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the stream after what is buffered: reads then throw {@code why} (or end, if null). */
    void end(RuntimeException why) {
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

    int size() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    static NoSuchElementException closed(String root) {
        return new NoSuchElementException("tree cache of " + root + " is closed");
    }
}
