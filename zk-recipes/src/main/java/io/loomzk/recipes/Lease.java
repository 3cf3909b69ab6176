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
 * What a recipe grants, a {@link LockLease}, a {@link Leadership} or a {@link SemaphoreLease}: a handle, not a thread's
 * property, backed by an ephemeral node of this client's session. Any thread may read it or close
 * it.
 *
 * <h2>When it stops being valid</h2>
 * {@link #isValid()} turns false, and {@link #awaitLoss()} returns, as soon as the lease can no
 * longer be trusted ({@link LeaseLoss}):
 * <ul>
 *   <li>the session ended, or the client moved to a new session;
 *   <li>the node was deleted by someone else (the client's reader thread marks the watch the
 *       moment the notification arrives, and {@code isValid} reads that mark);
 *   <li>no server has answered this client for half the negotiated session timeout;
 *   <li>under {@link LeasePolicy#STRICT} only: the client is not {@code CONNECTED}.
 * </ul>
 * Why half: the ensemble expires a session only once a full session timeout has passed without
 * hearing from it, and what this client last heard from a server was the answer to something that
 * server had just heard from it (a reply or a ping reply; {@link ZkClient#sinceLastHeard()} does
 * not count watch notifications, which prove nothing about what the server hears). So nobody else
 * can be granted the node's place until about a full timeout after {@code sinceLastHeard} started
 * counting. While healthy, {@code sinceLastHeard} stays under a third of the timeout, because the
 * client pings after a third of silence. Half leaves a sixth of the timeout against false alarms
 * from a slow ping, and half the timeout between the moment a lease turns invalid and the earliest
 * moment another holder could exist: time for the holder to notice and stop, and room for the
 * reply's trip, clock-rate drift, and a follower that lost its leader but still answers pings (a
 * follower forwards session activity to the leader only while in sync with it, for up to
 * {@code syncLimit} ticks). The client itself notices a silent server only after two thirds of the
 * timeout (its read timeout), leaving a third; a lease that waited for {@code SUSPENDED} would have
 * too little margin, so this check does not depend on the session state. A brief disconnection
 * alone does not invalidate a lease: while the session lives, its node stays, and nobody else can
 * take its place.
 *
 * <p>What no client-side check can see in time is a session killed from outside (an operator or a
 * tool closing it from another connection): the lease then turns invalid when the deletion reaches
 * this client's server, which may be a moment after another client's server told that client.
 * Fencing tokens and {@link #guardedMulti} cover that gap.
 *
 * <h2>What to do when it turns invalid</h2>
 * Stop the protected work at once, {@link #close()} the lease, and acquire again if the work must
 * go on. A lost lease stays lost, and another contender may be granted at any moment after its
 * node goes. A lease lost to silence or (under {@link LeasePolicy#STRICT}) to a disconnection
 * still has its node, possibly: {@link #close()} removes it at once; if nobody closes the lease,
 * the node is removed a third of the session timeout after the loss, so a holder that checks
 * {@code isValid()} more often than that has stopped before anyone else can be granted.
 */
public abstract sealed class Lease implements AutoCloseable permits LockLease, Leadership, SemaphoreLease {
    private final NodeLease lease;

    Lease(NodeLease lease) {
        this.lease = lease;
    }

    /** This lease's node (chroot-relative path). */
    public String node() {
        return lease.node();
    }

    /** The session that owns the node. */
    public long sessionId() {
        return lease.sessionId();
    }

    /**
     * A number that grows with every grant, across the ensemble and across LoomZK and Curator
     * holders: the creation zxid of the lease's node. Pass it to downstream systems, which should
     * reject any token lower than the highest they have accepted.
     */
    public long fencingToken() {
        return lease.fencingToken();
    }

    /** Whether the lease can still be trusted; never blocks. */
    public boolean isValid() {
        return lease.isValid();
    }

    /** Why the lease was lost, or empty while it is valid; never blocks. */
    public Optional<LeaseLoss> loss() {
        return lease.loss();
    }

    /**
     * Blocks until the lease is lost (including by {@link #close()}).
     *
     * @return why
     * @throws InterruptedException if interrupted while waiting
     */
    public LeaseLoss awaitLoss() throws InterruptedException {
        return lease.awaitLoss(Deadlines.NONE).orElseThrow();
    }

    /**
     * Blocks until the lease is lost or the timeout passes.
     *
     * @return why, or empty if the timeout passed first
     * @throws InterruptedException if interrupted while waiting
     */
    public Optional<LeaseLoss> awaitLoss(Duration timeout) throws InterruptedException {
        return lease.awaitLoss(Deadlines.after(Objects.requireNonNull(timeout, "timeout")));
    }

    /**
     * Applies writes atomically, and only while this lease holds: a {@link ZkClient#multi} that
     * starts with a {@code check} that the lease's node still exists. Refused locally if the lease
     * is already invalid.
     *
     * @return one result per op of {@code ops}, in order (the check's result is left out)
     * @throws LeaseLostException if the lease is invalid or the ensemble found its node gone: nothing
     *     was applied
     * @throws ZkException.MultiFailed if one of {@code ops} failed: nothing was applied
     * @throws ZkException as {@link ZkClient#multi}; {@link ZkException#mayHaveBeenApplied()} says
     *     whether the writes may have been applied (they were applied only if the lease held)
     */
    public List<OpResult> guardedMulti(List<Op> ops) {
        return lease.guardedMulti(ops);
    }

    /** Applies writes atomically, only while this lease holds; see {@link #guardedMulti(List)}. */
    public List<OpResult> guardedMulti(Op... ops) {
        return lease.guardedMulti(Arrays.asList(ops));
    }

    /**
     * Gives the lease up: it turns invalid at once, then its node is deleted, so the next contender
     * is granted. Any thread may call it, any number of times.
     *
     * <p>Blocks until the node is gone, the session is over, or a session timeout has passed (the
     * connection is down); in that last case a background thread ({@code zk-job-cleanup-*}, a job the client owns and its {@code close()} joins)
     * keeps deleting it until it is gone or the session is over. A delete whose reply was lost is
     * simply repeated: the node's name is unique, so a repeat can only find it gone. Does not
     * respond to interruption (the interrupt status is kept).
     */
    @Override
    public void close() {
        lease.close();
    }

    /** The node lease, for subclasses' {@code toString}. */
    final NodeLease nodeLease() {
        return lease;
    }
}
