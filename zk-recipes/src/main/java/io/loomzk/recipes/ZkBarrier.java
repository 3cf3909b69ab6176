package io.loomzk.recipes;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.OneShotWatch;
import io.loomzk.client.Op;
import io.loomzk.client.Watched;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.protocol.ErrorCode;
import io.loomzk.protocol.Stat;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A barrier: while its node exists, {@link #await} blocks; whoever removes the node lets every
 * waiter through. The node layout is Apache Curator's {@code DistributedBarrier} (one persistent
 * node at the barrier's path, no data), so LoomZK and Curator processes can set, remove and wait on
 * one barrier.
 *
 * <pre>{@code
 * ZkBarrier barrier = ZkBarrier.of(zk, "/jobs/nightly/gate");
 * barrier.set();                                    // the coordinator, before the workers start
 * boolean open = barrier.await(Duration.ofMinutes(5));  // each worker
 * barrier.remove();                                 // the coordinator, when ready
 * }</pre>
 *
 * <p>A waiter is let through only by a read that finds the node absent: every wake-up (a watch
 * event, a reconnect, a timeout) is followed by a fresh read, so no stray event can open it. The
 * first look is a {@code check} in a one-op {@code multi}, which the leader commits through the
 * quorum, so a barrier raised before {@code await} was called is seen even when this client's
 * server lags behind (a plain read there, even after a {@code sync}, could miss it; Curator's
 * waiters read plainly). It costs one write per {@code await}. The
 * barrier node is persistent: if its owner dies, it stays until someone removes it; waiters are
 * bounded by their own timeouts. Missing ancestors are created as container nodes.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ZkBarrier {
    private final ZkClient client;
    private final String path;

    private ZkBarrier(ZkClient client, String path) {
        this.client = Objects.requireNonNull(client, "client");
        this.path = Names.checkRecipePath(path);
    }

    /**
     * The barrier at {@code path}.
     *
     * @throws IllegalArgumentException for a malformed path
     */
    public static ZkBarrier of(ZkClient client, String path) {
        return new ZkBarrier(client, path);
    }

    /** The barrier's path. */
    public String path() {
        return path;
    }

    /**
     * Raises the barrier (creates its node; nothing happens if it exists). Blocks for a few calls.
     *
     * @throws ZkException.ConnectionLoss if the reply was lost: call again, it is idempotent
     */
    public void set() {
        try {
            Parents.create(client, path, null, CreateOptions.persistent());
        } catch (ZkException.NodeExists e) {
            // raised already
        }
    }

    /**
     * Removes the barrier (deletes its node; nothing happens if it is absent), letting every waiter
     * through.
     *
     * @throws ZkException.NotEmpty if someone put children under the barrier node
     * @throws ZkException.ConnectionLoss if the reply was lost: call again, it is idempotent
     */
    public void remove() {
        try {
            client.delete(path, -1);
        } catch (ZkException.NoNode e) {
            // not raised
        }
    }

    /** Whether the barrier is raised now (one read; stale as soon as returned). */
    public boolean isSet() {
        return client.exists(path).isPresent();
    }

    /**
     * Blocks until the barrier is removed.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws ZkException.SessionExpired or {@link ZkException.Closed} if the session ends
     */
    public void await() throws InterruptedException {
        awaitUntil(Deadlines.NONE);
    }

    /**
     * Blocks until the barrier is removed or the timeout passes. Waiting goes on across reconnects;
     * a call under way when the timeout passes may take up to the client's request timeout.
     *
     * @return true if a read found the barrier removed, false if the timeout passed first
     * @throws InterruptedException if interrupted while waiting
     * @throws ZkException.SessionExpired or {@link ZkException.Closed} if the session ends
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitUntil(Deadlines.after(Objects.requireNonNull(timeout, "timeout")));
    }

    private boolean awaitUntil(long deadline) throws InterruptedException {
        boolean synced = false;
        while (true) {
            if (!Deadlines.awaitConnected(client, deadline)) {
                return false;
            }
            Watched<Optional<Stat>> read;
            try {
                if (!synced) {
                    // The first look goes through the leader's quorum: a one-op multi that checks the
                    // node. A plain read, even after a sync, can be served by a server that is behind
                    // (likely: a deposed leader just resumed from a pause, answering for a moment
                    // from its own state), and could miss a barrier raised before this waiter came.
                    if (!raised()) {
                        return true;
                    }
                    synced = true;
                }
                read = client.existsAndWatch(path);
            } catch (ZkException.Interrupted e) {
                throw Failures.interrupted("waiting on barrier " + path, e);
            } catch (ZkException e) {
                if (!Failures.isTransient(e)) {
                    throw e;
                }
                if (Deadlines.passed(deadline)) {
                    return false;
                }
                continue;
            }
            OneShotWatch watch = read.watch();
            if (read.value().isEmpty()) {
                watch.cancel();
                return true;
            }
            if (!Waits.await(watch, deadline)) {
                return false;
            }
        }
    }

    /** Whether the barrier node exists, by a check committed through the quorum. */
    private boolean raised() {
        try {
            client.multi(Op.check(path, -1));
            return true;
        } catch (ZkException.MultiFailed e) {
            if (e.rawCode() == ErrorCode.NO_NODE.code()) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return "ZkBarrier[" + path + "]";
    }
}
