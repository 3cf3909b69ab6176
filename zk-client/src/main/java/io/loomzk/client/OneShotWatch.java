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
}
