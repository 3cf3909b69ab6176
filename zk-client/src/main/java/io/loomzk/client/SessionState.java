package io.loomzk.client;

/**
 * The state of a client's session, on its own channel: never mixed into node events.
 *
 * <p>{@link #EXPIRED}, {@link #CLOSED} and {@link #AUTH_FAILED} are terminal: the session is
 * over and every call fails at once. What to do in each state is in the README's "Sessions and
 * failures" section.
 */
public enum SessionState {
    /** Looking for a server; no session has been established yet. */
    CONNECTING,
    /** Connected to a read-write server; calls are served. */
    CONNECTED,
    /**
     * Connected to a server that lost its quorum and serves reads only ({@code canBeReadOnly});
     * writes fail with {@link ZkException.NotReadOnly}. The client keeps looking for a
     * read-write server in the background.
     */
    READ_ONLY,
    /**
     * Disconnected; the session may still be alive on the ensemble. Calls wait for a new
     * connection (up to their timeout); ephemeral nodes and watches survive if the client gets
     * back within the session timeout. Locks held through it cannot be trusted until then.
     */
    SUSPENDED,
    /** The session is gone: its ephemeral nodes are deleted and its watches will not fire. */
    EXPIRED,
    /** {@link ZkClient#close()} was called. */
    CLOSED,
    /** The server rejected the session's credentials, or requires authentication it did not get. */
    AUTH_FAILED;

    /** Whether the session is over for good. */
    public boolean isTerminal() {
        return this == EXPIRED || this == CLOSED || this == AUTH_FAILED;
    }

    /** Whether calls can be served now. */
    public boolean isConnected() {
        return this == CONNECTED || this == READ_ONLY;
    }
}
