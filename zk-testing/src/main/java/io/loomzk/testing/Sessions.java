package io.loomzk.testing;

import io.loomzk.protocol.OpCode;
import io.loomzk.testing.internal.FourLetterWords;
import io.loomzk.testing.internal.Pause;
import io.loomzk.testing.internal.RawSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Server-side session faults, the way a real server produces them. */
public final class Sessions {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration KICK_INTERVAL = Duration.ofMillis(250);

    private Sessions() {}

    /**
     * Expires a session on the server: opens a second connection with the same session id and
     * password, closes the session through it, and returns once the server has dropped it.
     *
     * <p>This is a real server-side expiry, not a client-side simulation: the session's ephemeral
     * nodes are gone and its watches dropped when this returns; its own client finds its
     * connection closed and, on reconnecting, gets a session-expired answer. When this returns, no
     * server of {@code connectString} holds a connection of the session any more (checked with
     * the {@code cons} four-letter word where the server allows it).
     *
     * <p>The client re-attaches as soon as the second connection takes its session over, and a
     * server can process that reconnection across the second connection's handshake, leaving the
     * client's connection attached but out of the server's reach when the session closes (about
     * once in 50 expiries on a loaded machine). Such a connection is re-attached over until the
     * server closes it; if the server never does, this waits until the client's own read timeout
     * (two thirds of its session timeout) has closed it. Expiring a session that is already gone
     * does nothing. Blocks for at most 10 s, or in that case up to the client's session timeout
     * and a second, whichever is longer.
     *
     * @param connectString the ensemble or server the session lives on (any chroot is ignored)
     * @throws UncheckedIOException if no server of {@code connectString} can be reached
     * @throws IllegalStateException if the server still knows the session after 10 s, or still
     *     holds a connection of it after that and the client's session timeout, or the calling
     *     thread is interrupted
     */
    public static void expire(String connectString, long sessionId, byte[] password) {
        expire(connectString, sessionId, password, DEFAULT_TIMEOUT);
    }

    /** {@link #expire(String, long, byte[])} with a time limit other than 10 s. */
    public static void expire(String connectString, long sessionId, byte[] password, Duration timeout) {
        Objects.requireNonNull(password, "password");
        long deadline = Pause.deadline(timeout);
        IOException lastFailure = null;
        while (!Pause.passed(deadline)) {
            try {
                boolean gone;
                try (RawSession twin = RawSession.connect(connectString, sessionId, password, timeout)) {
                    // "expired" in answer to the reattachment: the session is gone
                    gone = twin.isExpired();
                    if (!gone) {
                        twin.call(OpCode.CLOSE_SESSION, null);
                    }
                }
                if (gone) {
                    awaitNoConnection(connectString, sessionId, password, deadline, timeout);
                    return;
                }
                // Loop: the next reattachment confirms that the server has dropped the session.
            } catch (IOException e) {
                lastFailure = e;
                Pause.sleep(100, "session 0x" + Long.toHexString(sessionId) + " to expire");
            }
        }
        if (lastFailure != null) {
            throw new UncheckedIOException(
                    "cannot expire session 0x" + Long.toHexString(sessionId) + " on " + connectString, lastFailure);
        }
        throw new IllegalStateException(
                "session 0x" + Long.toHexString(sessionId) + " still exists on " + connectString + " after " + timeout);
    }

    /** The session timeout ({@code to=}) on the {@code cons} line at {@code at}, or 0. */
    private static long sessionTimeoutOf(String connections, int at) {
        int end = connections.indexOf('\n', at);
        String line = connections.substring(at, end < 0 ? connections.length() : end);
        int to = line.indexOf(",to=");
        if (to < 0) {
            return 0;
        }
        int start = to + 4;
        int stop = start;
        while (stop < line.length() && Character.isDigit(line.charAt(stop))) {
            stop++;
        }
        return stop > start ? Long.parseLong(line.substring(start, stop)) : 0;
    }

    /**
     * Waits until no server of the connect string holds a connection of the (closed) session.
     *
     * <p>The session's own client re-attaches as soon as the twin connection takes the session
     * over, and on the server that reconnection can cross the twin's: both end up attached, the
     * server's map from session to connection names only one of them, and closing the session
     * closes only the connection that asked and the one the map names. A client connection left
     * out stays open on a session that no longer exists, and the server drops what it sends
     * unanswered, until the client's read timeout. So after the session is gone this looks at
     * every server's connections ({@code cons}) and, while one still carries the session id,
     * re-attaches again now and then (which closes the connection the map names, told the
     * session expired) and waits, until none is left. A server that refuses {@code cons} is taken
     * at its word.
     */
    private static void awaitNoConnection(
            String connectString, long sessionId, byte[] password, long deadline, Duration timeout) {
        String mark = "sid=0x" + Long.toHexString(sessionId) + ",";
        long nextKick = System.nanoTime();
        boolean extended = false;
        while (true) {
            List<InetSocketAddress> holding = new ArrayList<>();
            long clientTimeoutMillis = 0;
            for (InetSocketAddress host : RawSession.hosts(connectString)) {
                try {
                    String connections = FourLetterWords.ask(host.getPort(), "cons", POLL_TIMEOUT);
                    int at = connections.indexOf(mark);
                    if (at >= 0) {
                        holding.add(host);
                        clientTimeoutMillis = Math.max(clientTimeoutMillis, sessionTimeoutOf(connections, at));
                    }
                } catch (IOException e) {
                    // unreachable or refusing: nothing to learn there
                }
            }
            if (holding.isEmpty()) {
                return;
            }
            if (!extended) {
                // a kept connection lasts until its client's read timeout (two thirds of the
                // session timeout the server lists for it): wait that long at least
                extended = true;
                deadline = Math.max(deadline, System.nanoTime() + (clientTimeoutMillis + 1_000) * 1_000_000L);
            }
            if (Pause.passed(deadline)) {
                throw new IllegalStateException("session 0x" + Long.toHexString(sessionId) + " is closed, but "
                        + holding + " still hold a connection of it after " + timeout
                        + " and the client's session timeout");
            }
            if (System.nanoTime() - nextKick >= 0) {
                for (InetSocketAddress host : holding) {
                    try {
                        // told "expired"; on the way it closed the connection the server's map named
                        RawSession.connect(
                                        host.getHostString() + ":" + host.getPort(), sessionId, password, POLL_TIMEOUT)
                                .close();
                    } catch (IOException e) {
                        // the next look decides
                    }
                }
                nextKick = System.nanoTime() + KICK_INTERVAL.toNanos();
            }
            Pause.sleep(20, "the connections of session 0x" + Long.toHexString(sessionId) + " to close");
        }
    }
}
