package io.loomzk.client.internal;

import io.loomzk.client.SessionState;
import io.loomzk.protocol.ErrorCode;

/**
 * How a session ends, and the one place that decides which codes end it: the connection, the
 * session loop and the exceptions callers get all ask here.
 */
public enum SessionEnd {
    /** The ensemble dropped the session (or the client's own clock says it must have). */
    EXPIRED(SessionState.EXPIRED),
    /** The server refused the credentials, or requires authentication it did not get. */
    AUTH_FAILED(SessionState.AUTH_FAILED),
    /** {@code close()} was called, or the client closed itself after its own machinery failed. */
    CLOSED(SessionState.CLOSED);

    /** The terminal state this end publishes. */
    final SessionState state;

    SessionEnd(SessionState state) {
        this.state = state;
    }

    /** The end a server's code means, or null if the code does not end the session. */
    static SessionEnd ofServerCode(int code) {
        if (code == ErrorCode.SESSION_EXPIRED.code()) {
            return EXPIRED;
        }
        if (code == ErrorCode.AUTH_FAILED.code() || code == ErrorCode.SESSION_CLOSED_REQUIRE_SASL_AUTH.code()) {
            return AUTH_FAILED;
        }
        return null;
    }

    /**
     * Whether a reply's code concerns the session rather than the call: it ends the session, or
     * ({@code SESSION_MOVED}) says that another connection now holds it, so this one must go.
     */
    static boolean concernsSession(int code) {
        return ofServerCode(code) != null || code == ErrorCode.SESSION_MOVED.code();
    }
}
