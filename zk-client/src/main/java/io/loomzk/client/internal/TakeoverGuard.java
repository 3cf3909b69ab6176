package io.loomzk.client.internal;

import java.io.EOFException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Decides when another process has taken this client's session over, so that the session loop
 * stops instead of taking it back in a loop.
 *
 * <p>What a server does when a second connection resumes a session (ZooKeeper 3.5 to 3.9,
 * {@code ZooKeeperServer.processConnectRequest} and {@code FinalRequestProcessor}): on the server
 * that accepts the new connection, every older connection of the session is closed at once
 * ({@code DisconnectReason.CLIENT_RECONNECT}); on another server of the ensemble, the older
 * connection keeps serving reads and pings, and is closed as soon as one of its requests reaches
 * the leader's owner check ({@code SessionMovedException}, a write, or any request the leader
 * checks). In both cases the older holder gets no error code on the wire: it just finds its
 * connection closed by the server (an end of stream), and a reconnect with the same id and
 * password succeeds, which closes the new holder's connection in turn. Two clients that both
 * reconnect at once would take the session from each other forever.
 *
 * <p>The rule: a connection that served the session and was then closed by its server (end of
 * stream, not a timeout, a reset or a close of our own), or was told {@code SESSION_MOVED}, is a
 * kick. Kicks older than one session timeout are forgotten, and a connection that ends any other
 * way (the server went silent, the network reset) forgets them all. At the {@value #KICKS}th
 * kick within one session timeout the client concludes that its session now belongs to someone
 * else and gives it up (the session loop then ends it as expired, without closing it on the
 * server). The client that took the session over does not count kicks for one session timeout
 * after it did ({@link #tookOver}), so it is not the one that yields. The first kicks are not enough on their own: a server that shuts down also closes
 * its connections with an end of stream, and a client must ride through a rolling restart; only
 * {@value #KICKS} restarts of the servers this client was on, within one session timeout, would
 * be mistaken for a take-over.
 *
 * <p>Owned by the session loop's thread; not thread-safe.
 */
final class TakeoverGuard {
    /** Kicks within one session timeout that mean the session was taken over. */
    static final int KICKS = 3;

    /**
     * How long the new holder waits after a kick before it takes the session back. The old holder
     * takes it back at once; were both to resume at the same moment, a server can accept both
     * connections (each checks for the other's before either is registered) and neither is kicked
     * again, so the old holder never yields. Waiting puts the two resumptions in turn.
     */
    static final long NEW_HOLDER_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final ArrayDeque<Long> kicks = new ArrayDeque<>();
    /** Until when kicks are not counted: this client has just taken the session over itself. */
    private long graceUntilNanos;

    private boolean inGrace;

    /** Whether the last connection to end was a kick this client rode out as the new holder. */
    private boolean rodeOutKick;

    /**
     * This client has just taken the session over (a hand-over): for one session timeout it does
     * not count kicks, so the old holder, which does, is the one that yields. Without this the
     * winner would be whoever happened to be kicked fewer times, which timing decides.
     */
    void tookOver(long nowNanos, int sessionTimeoutMillis) {
        inGrace = true;
        graceUntilNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(Math.max(1, sessionTimeoutMillis));
    }

    /**
     * Records how a connection that served the session ended.
     *
     * @param cause why it closed ({@link Connection#closeCause()}): {@link Moved} when a server
     *     said {@code SESSION_MOVED} on it, null for a close of our own
     * @param sessionTimeoutMillis the session timeout (the window kicks are counted in)
     * @param nowNanos {@link System#nanoTime()} now
     * @return whether the session has been taken over by another connection
     */
    boolean connectionEnded(Throwable cause, int sessionTimeoutMillis, long nowNanos) {
        rodeOutKick = false;
        if (!(cause instanceof Moved) && !(cause instanceof EOFException)) {
            if (cause != null && !(cause instanceof DroppedOnRequest)) {
                kicks.clear(); // a timeout or a reset: not a take-over
            }
            return false;
        }
        if (inGrace && nowNanos - graceUntilNanos < 0) {
            rodeOutKick = true;
            return false; // the new holder rides the old one's attempts to take the session back
        }
        inGrace = false;
        long window = TimeUnit.MILLISECONDS.toNanos(Math.max(1, sessionTimeoutMillis));
        while (!kicks.isEmpty() && nowNanos - kicks.peekFirst() > window) {
            kicks.pollFirst();
        }
        kicks.addLast(nowNanos);
        return kicks.size() >= KICKS;
    }

    /**
     * Whether the last connection to end ({@link #connectionEnded}) was a kick this client, the new
     * holder, rode out: it then waits {@link #NEW_HOLDER_PAUSE_NANOS} before taking the session back.
     */
    boolean rodeOutKick() {
        return rodeOutKick;
    }

    /** Forgets every kick (a new session starts). */
    void reset() {
        kicks.clear();
        inGrace = false;
        rodeOutKick = false;
    }

    /** Why a connection closed when {@code dropConnection()} asked for it: not a kick. */
    static final class DroppedOnRequest extends java.net.SocketException {
        private static final long serialVersionUID = 1L;

        DroppedOnRequest(String message) {
            super(message);
        }
    }

    /** Why a connection closed when a server said {@code SESSION_MOVED} on it: a kick. */
    static final class Moved extends java.net.SocketException {
        private static final long serialVersionUID = 1L;

        Moved() {
            super("the server says the session moved to another connection");
        }
    }
}
