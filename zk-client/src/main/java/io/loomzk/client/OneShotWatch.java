package io.loomzk.client;

import java.time.Duration;
import java.util.Optional;

/**
 * A watch that fires once: returned by {@link ZkClient#getDataAndWatch},
 * {@link ZkClient#existsAndWatch} and {@link ZkClient#getChildrenAndWatch}.
 *
 * <p>Any number of threads may wait on it. It survives reconnects (the client re-arms it on the
 * new connection, and the server fires it for changes made while disconnected). If the session
 * ends first, waiting throws {@link ZkException.SessionExpired}, {@link ZkException.Closed} or
 * {@link ZkException.AuthFailed}.
 */
public interface OneShotWatch {

    /**
     * Blocks until the watch fires.
     *
     * @return the event
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws ZkException if the session ended before the watch fired
     */
    WatchedEvent await() throws InterruptedException;

    /**
     * Blocks until the watch fires or the timeout passes.
     *
     * @return the event, or empty if the timeout passed first
     * @throws InterruptedException if the waiting thread is interrupted
     * @throws ZkException if the session ended before the watch fired
     */
    Optional<WatchedEvent> await(Duration timeout) throws InterruptedException;

    /**
     * The event, if the watch has fired; never blocks.
     *
     * @throws ZkException if the session ended before the watch fired
     */
    Optional<WatchedEvent> poll();

    /** Whether the watch has fired or ended; never blocks. */
    boolean isDone();

    /** The watched path, relative to the chroot. */
    String path();

    /**
     * Stops watching: the watch is removed from this client at once and completes with a
     * {@code DATA_WATCH_REMOVED} (or, for a child watch, {@code CHILD_WATCH_REMOVED}) event, which
     * any thread blocked in {@link #await()} receives. Never blocks: when this was the last of
     * this client's watches of its kind on the path (data and exists watches count as one kind,
     * as on the server), the server's watch is removed in the background by a thread the client
     * owns, as {@link ZkClient#removeWatches} would; it is not re-armed on reconnect either.
     * Other watches on the same path, this client's or anyone's, are not touched.
     *
     * @return true if this call cancelled the watch; false if it had already fired or ended
     */
    boolean cancel();
}
