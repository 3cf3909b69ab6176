package io.loomzk.recipes;

/**
 * Leadership in a {@link LeaderElection}: a {@link Lease} on the leader's node, valid until lost
 * or closed, that any thread may read or close. It turns invalid for the same reasons and with the
 * same margin as every lease (see {@link Lease}), and the same rule applies when it does: stop
 * acting as leader at once, {@link #close()} it, and call {@link LeaderElection#awaitLeadership()}
 * again to stand for election anew. Its fencing token grows with every leadership term;
 * {@link #close()} relinquishes, and the next participant takes over as soon as the deletion
 * reaches it.
 */
public final class Leadership extends Lease {
    private final String path;
    private final String participantId;

    Leadership(String path, String participantId, NodeLease lease) {
        super(lease);
        this.path = path;
        this.participantId = participantId;
    }

    /** The election's path. */
    public String electionPath() {
        return path;
    }

    /** This participant's id. */
    public String participantId() {
        return participantId;
    }

    @Override
    public String toString() {
        return "Leadership[" + participantId + ", " + nodeLease() + "]";
    }
}
