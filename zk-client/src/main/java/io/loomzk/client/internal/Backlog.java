package io.loomzk.client.internal;

/**
 * Something that buffers work for a consumer the client does not control (a persistent watch's
 * events, the session states waiting for a slow listener), checked by the {@link BacklogWatchdog}.
 * Each implementation keeps its own "reported" flag: a stall is reported once, and again only
 * after the backlog has drained.
 */
public interface Backlog {
    /**
     * Looks at the backlog now; called by the watchdog's thread only, about once a tick.
     *
     * @param nowNanos {@link System#nanoTime()} now
     * @param stallNanos how long a backlog may go without draining before it is reported
     * @return the stall to report (once, until the backlog drains), or null
     */
    Stall check(long nowNanos, long stallNanos);

    /** Whether this backlog has ended (closed, overflowed, idle) and needs no more checks. */
    boolean isOver();

    /**
     * A backlog that has not drained for a while, or has reached half its bound.
     *
     * @param kind {@code "PERSISTENT_WATCH"} or {@code "STATE_LISTENER"}
     * @param path the watch's path (as the application named it); for a state listener, the
     *     listener's class name
     * @param events how many events wait
     * @param bytes the estimated bytes they hold (0 where not counted)
     * @param stalledNanos how long the backlog has gone without draining (at least; the watchdog
     *     looks about once a tick)
     */
    record Stall(String kind, String path, int events, long bytes, long stalledNanos) {}
}
