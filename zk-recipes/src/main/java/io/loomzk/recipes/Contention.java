package io.loomzk.recipes;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.Created;
import io.loomzk.client.NodeData;
import io.loomzk.client.OneShotWatch;
import io.loomzk.client.Watched;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.protocol.Stat;
import java.time.Duration;
import java.util.List;

/**
 * The queue behind {@link ZkMutex} and {@link LeaderElection}: each contender creates a protected
 * ephemeral-sequential node {@code _c_<uuid>-<lockName><seq>} in the directory, and is granted when
 * no contender ordered before it is left.
 *
 * <p>A contender waits on its immediate predecessor only (a data watch, so a missing node leaves
 * no watch behind), and holds no lock while it waits. Sequence numbers only grow, so no contender
 * can appear ahead of one already queued: one listing tells a contender everything that can ever
 * be ahead of it. It remembers the nearest {@link #WALK} of them and, when one goes, moves to the
 * next without listing again, so a release costs its successor one read, not a listing of the
 * whole queue. Before it claims anything it reads its own node: the node must exist and belong to
 * the client's current session, which covers every reconnect and session change in between.
 */
final class Contention {
    /** How many predecessors one listing remembers; past them, the contender lists again. */
    static final int WALK = 16;
    /** How often a contender whose node was deleted under it queues again before giving up. */
    private static final int MAX_ROUNDS = 3;
    /** The outcome of a turn whose node vanished (deleted, or its session ended). */
    private static final Grant VANISHED = new Grant(null, null, null);

    /**
     * A granted contender.
     *
     * @param node the node's path
     * @param stat its stat, read after the grant was decided and checked to be this session's
     * @param watch the data watch that read left on the node
     */
    record Grant(String node, Stat stat, OneShotWatch watch) {}

    private final ZkClient client;
    private final String dir;
    private final String lockName;
    private final ProtectedCreate creator;

    Contention(ZkClient client, String dir, String lockName) {
        this.client = client;
        this.dir = dir;
        this.lockName = lockName;
        this.creator = ProtectedCreate.on(client).creatingParentContainers();
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
                outcome = awaitTurn(node, owner, deadline);
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

    /** Waits until no contender is ahead of {@code node}; null if the deadline passed first. */
    private Grant awaitTurn(String node, long owner, long deadline) throws InterruptedException {
        String me = Names.name(node);
        while (true) {
            try {
                List<String> queue = list();
                int index = queue.indexOf(me);
                if (index < 0) {
                    return VANISHED;
                }
                int stop = Math.max(0, index - WALK);
                for (int i = index - 1; i >= stop; i--) {
                    if (!awaitGone(Names.child(dir, queue.get(i)), deadline)) {
                        return null;
                    }
                }
                if (stop > 0) {
                    continue; // contenders ahead of the ones remembered: list again
                }
                Watched<NodeData> own;
                try {
                    own = client.getDataAndWatch(node);
                } catch (ZkException.NoNode e) {
                    return VANISHED;
                }
                Stat stat = own.value().stat();
                if (stat.ephemeralOwner() != owner || client.sessionId() != owner) {
                    return VANISHED;
                }
                return new Grant(node, stat, own.watch());
            } catch (ZkException e) {
                if (!Failures.isTransient(e)) {
                    throw e;
                }
                if (Deadlines.passed(deadline)) {
                    return null;
                }
                // the connection dropped or was slow: look again (each call waits for a connection)
            }
        }
    }

    /** Waits until {@code path} is gone; false if the deadline passed first. */
    private boolean awaitGone(String path, long deadline) throws InterruptedException {
        while (true) {
            Watched<NodeData> read;
            try {
                read = client.getDataAndWatch(path);
            } catch (ZkException.NoNode e) {
                return true;
            }
            long remaining = Deadlines.remaining(deadline);
            if (remaining <= 0) {
                return false;
            }
            if (deadline == Deadlines.NONE) {
                read.watch().await();
            } else if (read.watch().await(Duration.ofNanos(remaining)).isEmpty()) {
                return false;
            }
        }
    }

    /** The contenders in queue order (empty if the directory does not exist). */
    List<String> list() {
        try {
            return Names.contenders(client.getChildren(dir).names(), lockName);
        } catch (ZkException.NoNode e) {
            return List.of();
        }
    }

    String dir() {
        return dir;
    }
}
