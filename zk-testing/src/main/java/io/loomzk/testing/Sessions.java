package io.loomzk.testing;

import io.loomzk.protocol.OpCode;
import io.loomzk.testing.internal.Pause;
import io.loomzk.testing.internal.RawSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;

/** Server-side session faults, the way a real server produces them. */
public final class Sessions {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private Sessions() {}

    /**
     * Expires a session on the server: opens a second connection with the same session id and
     * password, closes the session through it, and returns once the server has dropped it.
     *
     * <p>This is a real server-side expiry, not a client-side simulation: the session's ephemeral
     * nodes are gone and its watches dropped when this returns; its own client finds its
     * connection closed and, on reconnecting, gets a session-expired answer. Expiring a session
     * that is already gone does nothing. Blocks for at most 10 s.
     *
     * @param connectString the ensemble or server the session lives on (any chroot is ignored)
     * @throws UncheckedIOException if no server of {@code connectString} can be reached
     * @throws IllegalStateException if the server still knows the session after 10 s, or the
     *     calling thread is interrupted
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
                try (RawSession twin = RawSession.connect(connectString, sessionId, password, timeout)) {
                    if (twin.isExpired()) {
                        // The server answered "expired" to the reattachment: the session is gone.
                        return;
                    }
                    twin.call(OpCode.CLOSE_SESSION, null);
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
}
