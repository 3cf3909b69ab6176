package io.loomzk.recipes;

/**
 * Why a {@link Lease} stopped being valid. Once lost, a lease stays
 * lost; its node is removed (see {@link Lease}) and another contender may be granted what it held at
 * any moment.
 */
public enum LeaseLoss {
    /** {@code close()} was called. */
    RELEASED,
    /**
     * The lease's node was deleted by someone else: an operator or a tool, or the ensemble because
     * the session was closed or expired elsewhere and this client has not heard about it yet.
     */
    NODE_DELETED,
    /** The lease's path now holds a node of another session. */
    NODE_REPLACED,
    /**
     * The session ended: it expired, the client was closed or failed authentication, or the client
     * moved on to a new session.
     */
    SESSION_ENDED,
    /**
     * No server has been heard from for half the negotiated session timeout. The session may
     * still be alive, but the ensemble could expire it, and grant the lock to someone else, before
     * this client learns of it; see {@link LockLease#isValid()}.
     */
    CONNECTION_SILENT,
    /**
     * The connection dropped (or the client moved to a read-only server) while the lease's policy is
     * {@link LeasePolicy#STRICT}. The session may still be alive; the lease is given up anyway.
     */
    DISCONNECTED
}
