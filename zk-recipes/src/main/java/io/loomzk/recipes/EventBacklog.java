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
 *
 * <p>A consumer that has taken at least one event and then lets the backlog go undrained for the
 * stall period, or fill to half of either bound, is reported once with a WARNING naming the
 * cache's root (never any data), and again only after it has drained. A stream nobody reads (a
 * cache used only for its lookups) is not reported: it overflows quietly.
 */
final class EventBacklog<V> {
    private static final Object CLOSED = new Object();

    private static final System.Logger LOG = System.getLogger(EventBacklog.class.getName());

    private final int maxEvents;
    private final long maxBytes;
    /** The cache's root, for the warning. */
    private final String name;
    /** How long a backlog may go without draining before it is reported. */
    private final long stallNanos;

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
    /** Guarded by lock: whether a consumer has taken an event (only then is it reported as slow). */
    private boolean consumed;
    /** Guarded by lock: since when the queue has held events without draining (0: empty). */
    private long stalledSince;
    /** Guarded by lock: whether this backlog was reported (until it drains). */
    private boolean reported;

    private record Entry<V>(CacheEvent<V> event, long size) {}

    EventBacklog(int maxEvents, long maxBytes) {
        this(maxEvents, maxBytes, "", Long.MAX_VALUE);
    }

    EventBacklog(int maxEvents, long maxBytes, String name, long stallNanos) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.name = name;
        this.stallNanos = stallNanos;
    }

    /** Appends, or drops everything and marks an overflow when a bound would be passed. */
    void publish(CacheEvent<V> event, long size) {
        String slow;
        lock.lock();
        try {
            slow = publishLocked(event, size);
        } finally {
            lock.unlock();
        }
        if (slow != null) {
            LOG.log(System.Logger.Level.WARNING, slow);
        }
    }

    /** Appends; returns the slow-consumer warning to log (outside the lock), or null. */
    private String publishLocked(CacheEvent<V> event, long size) {
        if (end != null) {
            return null;
        }
        if (overflowed) {
            dropped++;
            return null;
        }
        if (queue.size() >= maxEvents || bytes + size > maxBytes) {
            dropped += queue.size() + 1;
            queue.clear();
            bytes = 0;
            overflowed = true;
            queue.add(new Entry<>(
                    new CacheEvent<>(CacheEvent.Type.OVERFLOW, event.path(), null, null, -1, java.util.Map.of()), 0));
            changed.signalAll();
            return null;
        }
        queue.add(new Entry<>(event, size));
        bytes += size;
        changed.signal();
        return slowConsumer();
    }

    /** Whether the consumer is now slow and not yet reported; then the warning. Call with the lock held. */
    private String slowConsumer() {
        if (!consumed || reported || stallNanos == Long.MAX_VALUE) {
            return null;
        }
        long now = System.nanoTime();
        if (stalledSince == 0) {
            stalledSince = now;
        }
        long stalled = now - stalledSince;
        if (stalled < stallNanos && 2L * queue.size() < maxEvents && 2 * bytes < maxBytes) {
            return null;
        }
        reported = true;
        return "slow consumer of the tree cache of " + name + ": " + queue.size() + " events (about " + bytes
                + " bytes) waiting, not drained for " + stalled / 1_000_000
                + " ms (reported once until it drains; past its bound the stream overflows)";
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
                consumed = true;
                if (queue.isEmpty()) {
                    stalledSince = 0; // drained: a later backlog is a new one
                    reported = false;
                }
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
