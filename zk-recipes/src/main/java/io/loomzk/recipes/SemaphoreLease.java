package io.loomzk.recipes;

/**
 * One of a {@link ZkSemaphore}'s leases: a {@link Lease} on a node under the semaphore's
 * {@code leases} directory. It turns invalid for the same reasons and with the same margin as every
 * lease, and the same rule applies when it does: stop the protected work and {@link #close()} it.
 * Its fencing token grows with every lease granted on the ensemble, but several leases of one
 * semaphore are valid at once, so a downstream store can use it to reject a holder older than the
 * ones it has seen, not to tell holders of the moment apart.
 */
public final class SemaphoreLease extends Lease {
    private final String path;

    SemaphoreLease(String path, NodeLease lease) {
        super(lease);
        this.path = path;
    }

    /** The semaphore's path. */
    public String semaphorePath() {
        return path;
    }

    @Override
    public String toString() {
        return "SemaphoreLease[" + nodeLease() + "]";
    }
}
