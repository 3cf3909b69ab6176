package io.loomzk.client;

import java.time.Duration;
import java.util.Iterator;
import java.util.Optional;

/**
 * A watch that stays until closed, from {@link ZkClient#addWatch}: every event on the node (or,
 * recursively, on its whole subtree) is queued here in order until read.
 *
 * <p>Events are buffered per watch, so a consumer that never reads stalls nothing else. The
 * buffer is bounded ({@code ZkClientBuilder#watchBufferCapacity}); a watch whose buffer
 * overflows stops (the server-side watch is removed) and, once the buffered events are read,
 * {@link #next()} throws {@link ZkException.WatchOverflow}: re-read the state and add a new
 * watch. Iteration ends normally after {@link #close()}. It survives reconnects; if the session
 * ends, reading throws the session's terminal exception after the buffered events.
 */
public interface PersistentWatch extends Iterable<WatchedEvent>, AutoCloseable {

    /**
     * Blocks until the next event.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws java.util.NoSuchElementException if this watch was closed and its buffer is empty
     * @throws ZkException if the session ended or the buffer overflowed, after the buffered events
     */
    WatchedEvent next() throws InterruptedException;

    /**
     * Blocks until the next event or the timeout.
     *
     * @return the event, or empty if the timeout passed (or the watch was closed) first
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws ZkException if the session ended or the buffer overflowed, after the buffered events
     */
    Optional<WatchedEvent> poll(Duration timeout) throws InterruptedException;

    /**
     * Iterates over events as they come: {@code hasNext()} blocks until an event arrives and
     * returns false once the watch is closed and drained. An interrupt while blocked ends the
     * iteration with {@link ZkException.Interrupted} (the interrupt flag stays set).
     */
    @Override
    Iterator<WatchedEvent> iterator();

    /** The number of events waiting to be read. */
    int buffered();

    /** The watched path, relative to the chroot. */
    String path();

    /**
     * Removes the watch: locally at once, and on the server (blocking for that request) unless
     * another persistent watch of this client still needs the same path. Idempotent; never throws
     * for a connection problem (the server's watch then goes away with the session or is skipped
     * on re-arm).
     */
    @Override
    void close();
}
