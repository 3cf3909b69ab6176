package io.loomzk.recipes;

import io.loomzk.client.Op;
import io.loomzk.client.OpResult;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Leadership in a {@link LeaderElection}: a handle, valid until lost or closed, that any thread may
 * read or close. It turns invalid for the same reasons and with the same margin as a
 * {@link LockLease} (session over, node deleted by someone else, no server heard from for half the
 * session timeout; see there for why half), and the same rule applies when it does: stop acting as
 * leader at once, {@link #close()} it, and call {@link LeaderElection#awaitLeadership()} again to
 * stand for election anew.
 */
public final class Leadership implements AutoCloseable {
    private final String path;
    private final String participantId;
    private final NodeLease lease;

    Leadership(String path, String participantId, NodeLease lease) {
        this.path = path;
        this.participantId = participantId;
        this.lease = lease;
    }

    /** The election's path. */
    public String electionPath() {
        return path;
    }

    /** This participant's id. */
    public String participantId() {
        return participantId;
    }

    /** This participant's node (chroot-relative path). */
    public String node() {
        return lease.node();
    }

    /** The session that owns the node. */
    public long sessionId() {
        return lease.sessionId();
    }

    /**
     * A number that grows with every leadership term of this election: the creation zxid of the
     * leader's node. Downstream systems can reject a deposed leader's writes by it.
     */
    public long fencingToken() {
        return lease.fencingToken();
    }

    /** Whether this participant can still act as leader; never blocks. */
    public boolean isValid() {
        return lease.isValid();
    }

    /** Why leadership was lost, or empty while it is valid; never blocks. */
    public Optional<LeaseLoss> loss() {
        return lease.loss();
    }

    /**
     * Blocks until leadership is lost (including by {@link #close()}).
     *
     * @return why
     * @throws InterruptedException if interrupted while waiting
     */
    public LeaseLoss awaitLoss() throws InterruptedException {
        return lease.awaitLoss(Deadlines.NONE).orElseThrow();
    }

    /**
     * Blocks until leadership is lost or the timeout passes.
     *
     * @return why, or empty if the timeout passed first
     * @throws InterruptedException if interrupted while waiting
     */
    public Optional<LeaseLoss> awaitLoss(Duration timeout) throws InterruptedException {
        return lease.awaitLoss(Deadlines.after(Objects.requireNonNull(timeout, "timeout")));
    }

    /**
     * Applies writes atomically, and only while this participant leads: a {@link ZkClient#multi}
     * that starts with a {@code check} that the leader's node still exists.
     *
     * @return one result per op of {@code ops}, in order (the check's result is left out)
     * @throws LeaseLostException if leadership is lost or the ensemble found the node gone: nothing
     *     was applied
     * @throws ZkException.MultiFailed if one of {@code ops} failed: nothing was applied
     * @throws ZkException as {@link ZkClient#multi}
     */
    public List<OpResult> guardedMulti(List<Op> ops) {
        return lease.guardedMulti(ops);
    }

    /** Applies writes atomically, only while this participant leads; see {@link #guardedMulti(List)}. */
    public List<OpResult> guardedMulti(Op... ops) {
        return lease.guardedMulti(Arrays.asList(ops));
    }

    /**
     * Relinquishes leadership: invalid at once, then the node is deleted, and the next participant
     * takes over as soon as the deletion reaches it. Idempotent, from any thread; blocks and
     * finishes in the background exactly as {@link LockLease#close()}.
     */
    @Override
    public void close() {
        lease.close();
    }

    @Override
    public String toString() {
        return "Leadership[" + participantId + ", " + lease + "]";
    }
}
