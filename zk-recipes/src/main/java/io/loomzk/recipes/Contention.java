package io.loomzk.recipes;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.Created;
import io.loomzk.client.NodeData;
import io.loomzk.client.OneShotWatch;
import io.loomzk.client.Watched;
import io.loomzk.client.WatchedEvent;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.protocol.EventType;
import io.loomzk.protocol.Stat;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The queue behind {@link ZkMutex} and {@link LeaderElection}: each contender creates a protected
 * ephemeral-sequential node {@code _c_<uuid>-<lockName><seq>} in the directory, and is granted as
 * its {@link Rule} says: for the mutex and the election, when no contender ordered before it is
 * left; for the read/write lock, as {@link ZkReadWriteLock} describes.
 *
 * <p>A contender waits on one contender ahead of it only (its immediate predecessor, for an
 * exclusive queue), with a data watch, so a missing node leaves no watch behind, and holds no lock
 * while it waits. When that node goes, it lists the
 * queue once more: by then the nodes further ahead have usually gone too (the queue moves while it
 * waits), and one listing settles them all in a single round trip, where checking them one by one
 * would cost a round trip each. Sequence numbers only grow, so no contender can appear ahead of
 * one already queued. Before it claims anything it reads its own node: the node must exist and
 * belong to the client's current session, which covers every reconnect and session change in
 * between.
 */
final class Contention {
    /** How often a contender whose node was deleted under it queues again before giving up. */
    private static final int MAX_ROUNDS = 3;
    /** The outcome of a turn whose node vanished (deleted, or its session ended). */
    private static final Grant VANISHED = new Grant(null, null, null);

    /**
     * A granted contender.
     *
     * @param node the node's path
     * @param stat its stat from its creation (owner session, czxid for the fencing token)
     * @param watch a data watch already armed on the node, or null for the lease to arm one
     */
    record Grant(String node, Stat stat, OneShotWatch watch) {}

    /** Who is granted in a queue, and whom a contender that is not waits on. */
    interface Rule {
        /** The contenders among a directory's children, in queue order. */
        List<String> queue(List<String> children);

        /**
         * The index in {@code queue} of the contender that {@code index} must wait for, or -1 if
         * {@code index} is granted. It must be ahead of {@code index} (sequence numbers only grow,
         * so a grant can never be taken back by a newcomer).
         */
        int blocker(List<String> queue, int index);
    }

    /** One holder at a time, in queue order: the mutex's and the election's rule. */
    static Rule exclusive(String lockName) {
        return new Rule() {
            @Override
            public List<String> queue(List<String> children) {
                return Names.contenders(children, lockName);
            }

            @Override
            public int blocker(List<String> queue, int index) {
                return index - 1;
            }
        };
    }

    private final ZkClient client;
    private final String dir;
    private final String lockName;
    private final Rule rule;
    private final ProtectedCreate creator;

    Contention(ZkClient client, String dir, String lockName) {
        this(client, dir, lockName, exclusive(lockName));
    }

    /** A queue whose contenders are named {@code _c_<uuid>-<lockName><seq>} and granted by {@code rule}. */
    Contention(ZkClient client, String dir, String lockName, Rule rule) {
        this.client = client;
        this.dir = dir;
        this.lockName = lockName;
        this.rule = rule;
        this.creator = ProtectedCreate.on(client).creatingParentContainers();
    }

    /**
     * The hand-over every exclusive recipe shares: queues a contender, waits for its turn, and
     * turns the grant into a started lease. {@code onEnd} runs when that lease ends, or before this
     * returns when there is no lease (timed out, interrupted, failed), so whatever guard the caller
     * took for this contender is released exactly once either way.
     *
     * @param deadline a {@link System#nanoTime()} deadline, or {@link Deadlines#NONE}
     * @return the started lease, or null if the deadline passed first (the node is then removed)
     * @throws InterruptedException if interrupted (the node is then removed)
     */
    NodeLease lease(byte[] data, long deadline, LeasePolicy policy, Runnable onEnd) throws InterruptedException {
        boolean handedOver = false;
        try {
            Grant grant = contend(data, deadline);
            if (grant == null) {
                return null;
            }
            NodeLease lease = new NodeLease(client, grant.node(), grant.stat(), grant.watch(), policy, onEnd);
            handedOver = true;
            lease.start();
            return lease;
        } finally {
            if (!handedOver) {
                onEnd.run();
            }
        }
    }

    /**
     * Queues a contender and waits for its turn.
     *
     * @param deadline a {@link System#nanoTime()} deadline, or {@link Deadlines#NONE}
     * @return the grant, or null if the deadline passed first (the node is then removed)
     * @throws InterruptedException if interrupted (the node is then removed)
     */
    Grant contend(byte[] data, long deadline) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before queueing under " + dir);
        }
        for (int round = 1; ; round++) {
            Created created;
            try {
                created =
                        creator.create(Names.child(dir, lockName), data, CreateOptions.ephemeralSequential(), deadline);
            } catch (ZkException.Interrupted e) {
                throw Failures.interrupted("queueing under " + dir, e); // the create removed its node
            } catch (ZkException e) {
                if (deadline != Deadlines.NONE && Failures.isTransient(e) && Deadlines.passed(deadline)) {
                    return null;
                }
                throw e;
            }
            String node = created.path();
            long owner = created.stat().ephemeralOwner();
            Grant outcome = null;
            try {
                outcome = awaitTurn(node, created.stat(), deadline);
            } catch (ZkException.Interrupted e) {
                throw Failures.interrupted("waiting for a turn under " + dir, e);
            } finally {
                if (outcome == null || outcome == VANISHED) {
                    Cleanup.removeNode(client, node, owner, Duration.ZERO);
                }
            }
            if (outcome != VANISHED) {
                return outcome;
            }
            if (round >= MAX_ROUNDS) {
                throw new ZkException.NoNode(node);
            }
            if (Deadlines.passed(deadline)) {
                return null;
            }
        }
    }

    /**
     * Waits until no contender is ahead of {@code node}; null if the deadline passed first.
     *
     * <p>The grant costs no read of its own: the listing that finds the node at the head shows it
     * exists, its name (uuid and sequence) is this contender's alone, and a node created by the
     * client's current session is owned by it. The lease's monitor arms the watch on the node and
     * checks its owner right after the grant, so a deletion in between is caught at once.
     */
    private Grant awaitTurn(String node, Stat created, long deadline) throws InterruptedException {
        long owner = created.ephemeralOwner();
        String me = Names.name(node);
        boolean headNext = false; // the blocker that just went was the head and this node was next
        while (true) {
            try {
                if (!Deadlines.awaitConnected(client, deadline)) {
                    return null;
                }
                if (!headNext) {
                    List<String> queue = list();
                    int index = queue.indexOf(me);
                    if (index < 0) {
                        return VANISHED;
                    }
                    int blocker = rule.blocker(queue, index);
                    if (blocker >= 0) {
                        Gone gone = awaitGone(Names.child(dir, queue.get(blocker)), deadline);
                        if (gone == Gone.TIMED_OUT) {
                            return null;
                        }
                        // Sequence numbers only grow: no contender can appear ahead of this one. So
                        // when the one contender ahead of it, the head, is gone, this one is the
                        // head, and a rule that grants the head grants it without another listing.
                        headNext = blocker == 0 && index == 1 && rule.blocker(List.of(me), 0) < 0;
                        continue; // the blocker went: see who is ahead now
                    }
                }
                if (client.sessionId() != owner) {
                    return VANISHED; // the session that made the node is gone, and the node with it
                }
                return new Grant(node, created, null);
            } catch (ZkException e) {
                if (!Failures.isTransient(e)) {
                    throw e;
                }
                if (Deadlines.passed(deadline)) {
                    return null;
                }
                headNext = false; // the connection dropped or was slow: list again
            }
        }
    }

    /** How a wait for a contender ahead ended. */
    private enum Gone {
        /** Its node is gone. */
        GONE,
        /** The deadline passed first. */
        TIMED_OUT
    }

    /**
     * Waits until {@code path} is gone. A deletion event settles it at once; any other event (a
     * data change) or a lost connection leads to another read.
     */
    private Gone awaitGone(String path, long deadline) throws InterruptedException {
        while (true) {
            if (!Deadlines.awaitConnected(client, deadline)) {
                return Gone.TIMED_OUT;
            }
            Watched<NodeData> read;
            try {
                read = client.getDataAndWatch(path);
            } catch (ZkException.NoNode e) {
                return Gone.GONE;
            }
            OneShotWatch watch = read.watch();
            boolean fired = false;
            try {
                long remaining = Deadlines.remaining(deadline);
                if (remaining <= 0) {
                    return Gone.TIMED_OUT;
                }
                Optional<WatchedEvent> event = deadline == Deadlines.NONE
                        ? Optional.of(watch.await())
                        : watch.await(Duration.ofNanos(remaining));
                if (event.isEmpty()) {
                    return Gone.TIMED_OUT;
                }
                fired = true;
                if (event.get().type() == EventType.NODE_DELETED) {
                    return Gone.GONE; // the server's word: no read needed
                }
            } finally {
                if (!fired) {
                    // timed out, interrupted or failed: nobody waits on this watch any more, so
                    // it must not stay registered (a caller retrying tryAcquire would pile them up)
                    watch.cancel();
                }
            }
        }
    }

    /** The contenders in queue order (empty if the directory does not exist). */
    List<String> list() {
        try {
            return rule.queue(client.getChildren(dir).names());
        } catch (ZkException.NoNode e) {
            return List.of();
        }
    }

    String dir() {
        return dir;
    }
}
