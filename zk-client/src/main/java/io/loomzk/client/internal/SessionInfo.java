package io.loomzk.client.internal;

/**
 * What the servers granted a session, as one immutable snapshot the session loop publishes: its
 * id, password and negotiated timeout, and whether a read-write server ever served it (only then
 * is it the ensemble's session, to resume and to expire by the client's own clock).
 *
 * @param id the session id, 0 before the first handshake
 * @param password the session password (never printed)
 * @param timeoutMillis the negotiated session timeout, 0 before the first handshake
 * @param seenReadWrite whether a read-write server has served this session
 */
record SessionInfo(long id, byte[] password, int timeoutMillis, boolean seenReadWrite) {
    /** No session yet: what a new session's handshake sends. */
    static final SessionInfo NONE = new SessionInfo(0, new byte[16], 0, false);

    SessionInfo {
        password = password.clone();
    }

    @Override
    public byte[] password() {
        return password.clone();
    }

    /** Whether this is an ensemble session that a reconnect resumes (and the client's clock can expire). */
    boolean isResumable() {
        return id != 0 && seenReadWrite;
    }

    /** The id a reconnect asks to resume: 0 (a new session) until a read-write server served it. */
    long resumableId() {
        return seenReadWrite ? id : 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionInfo other
                && id == other.id
                && timeoutMillis == other.timeoutMillis
                && seenReadWrite == other.seenReadWrite
                && java.util.Arrays.equals(password, other.password);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(id) * 31 + timeoutMillis;
    }

    @Override
    public String toString() {
        return "SessionInfo[0x" + Long.toHexString(id) + ", " + timeoutMillis + " ms"
                + (seenReadWrite ? "" : ", read-only so far") + "]";
    }
}
