package io.loomzk.recipes;

/**
 * Ownership of a {@link ZkMutex}: a {@link Lease} on the lock's contender node. Its fencing token
 * grows with every grant of this lock. See {@link Lease} for when it stops being valid and what to
 * do then; {@link #close()} releases the lock.
 */
public final class LockLease extends Lease {
    private final String path;

    LockLease(String path, NodeLease lease) {
        super(lease);
        this.path = path;
    }

    /** The lock's path. */
    public String lockPath() {
        return path;
    }

    @Override
    public String toString() {
        return "LockLease[" + nodeLease() + "]";
    }
}
