package io.loomzk.protocol;

/**
 * Reserved transaction ids: replies with these xids are not answers to numbered requests.
 * A client numbers its own requests from 1 upwards and skips these when it wraps.
 */
public final class Xids {
    /** A watch notification: the body is a {@link WatcherEvent}. */
    public static final int NOTIFICATION = -1;
    /** A ping and its reply. */
    public static final int PING = -2;
    /** An {@link AuthPacket} and its reply. */
    public static final int AUTH = -4;
    /** A {@link SetWatches} or {@link SetWatches2} sent on reconnect, and its reply. */
    public static final int SET_WATCHES = -8;

    private Xids() {}

    /** Whether {@code xid} is one of the reserved values (any negative xid is reserved). */
    public static boolean isReserved(int xid) {
        return xid < 0;
    }
}
