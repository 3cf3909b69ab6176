package io.loomzk.client.internal;

import io.loomzk.protocol.ConnectResponse;

/**
 * What a session does with a server's handshake reply: the one place that reads a reply as a
 * granted session, a refusal to try elsewhere, or the session's end.
 */
enum HandshakeVerdict {
    /** The server granted this session (or, for a new one, a session): take it on. */
    ADOPT,
    /**
     * The server refused, but its word is not final: a refused new session, or a read-only server
     * that does not know a session the ensemble made (the client's own clock decides when that one
     * is over). Try another server after a pause.
     */
    TRY_ANOTHER,
    /**
     * A read-write server refused to resume the session: it speaks for the ensemble, so the
     * session has expired (a server never hands a resuming client another session, but if it did
     * the old one would be gone too).
     */
    EXPIRED;

    /**
     * @param current the session the client holds, {@link SessionInfo#NONE} before the first
     */
    static HandshakeVerdict of(ConnectResponse reply, SessionInfo current) {
        boolean resuming = current.isResumable();
        boolean refused = reply.timeOut() <= 0 || (resuming && reply.sessionId() != current.id());
        if (!refused) {
            return ADOPT;
        }
        return resuming && !reply.readOnly() ? EXPIRED : TRY_ANOTHER;
    }
}
