package io.loomzk.client.internal;

/**
 * Where a watch's events go: implemented by the public watch handles. Both methods are called
 * with the registry's lock held, often on the reader thread: they must not block.
 */
public interface WatchSink {

    /**
     * An event for this watch.
     *
     * @param eventType the {@code EventType} code
     * @param clientPath the node's path relative to the chroot
     * @param zxid the event's zxid, or -1
     * @return false if the sink can take no more events (a full buffer); the registry then
     *     drops it and removes the server's watch if no other sink needs it
     */
    boolean fire(int eventType, String clientPath, long zxid);

    /** The watch ends without (further) events: the session ended, or the watch was removed. */
    void end(Failure why);
}
