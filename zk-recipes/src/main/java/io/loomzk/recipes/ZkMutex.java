package io.loomzk.recipes;

import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An exclusive lock across processes, held through a {@link LockLease}: a handle that any thread
 * may close, that tells when it can no longer be trusted, and that carries a fencing token.
 *
 * <pre>{@code
 * ZkMutex mutex = ZkMutex.of(zk, "/locks/orders");
 * try (LockLease lease = mutex.acquire()) {
 *     store.write(record, lease.fencingToken());   // the store rejects tokens older than the newest it saw
 *     if (!lease.isValid()) { ... stop: another process may hold the lock now ... }
 * }
 * }</pre>
 *
 * <h2>Interoperability</h2>
 * Contender nodes are named as Apache Curator's {@code InterProcessMutex} names them,
 * {@code _c_<uuid>-lock-<sequence>}, and ordered as it orders them, so LoomZK and Curator processes
 * can share one lock path during a migration. Unlike Curator's, this lock is not re-entrant and not
 * tied to a thread: every {@code acquire} is a new contender, and a lease is released by whoever
 * closes it.
 *
 * <h2>Local contenders</h2>
 * Callers of one {@code ZkMutex} first queue here, fairly, and at most
 * {@link Builder#maxLocalContenders(int)} of them (default 16) at a time have a node in ZooKeeper.
 * They all share one session, so more would add no fairness between processes, only listing work
 * for the ensemble: thousands of threads can wait on one {@code ZkMutex} at the cost of a few nodes.
 *
 * <p>Instances are thread-safe; every method may block except {@link #path()}.
 */
public final class ZkMutex {
    /** Curator's {@code InterProcessMutex} lock name. */
    static final String LOCK_NAME = "lock-";

    private final String path;
    private final byte[] nodeData;
    private final Semaphore local;
    private final Contention contention;
    private final LeasePolicy policy;

    private ZkMutex(Builder b) {
        this.policy = b.policy;
        this.path = b.path;
        this.nodeData = b.nodeData;
        this.local = new Semaphore(b.maxLocalContenders, true);
        this.contention = new Contention(
                b.client, b.path, b.lockName, b.rule == null ? Contention.exclusive(b.lockName) : b.rule);
    }

    /**
     * A lock at {@code path} (created on first use, as a container node, with any missing ancestors).
     *
     * @throws IllegalArgumentException if the path is not absolute, is the root, or has an empty segment
     */
    public static ZkMutex of(ZkClient client, String path) {
        return builder(client, path).build();
    }

    /** A builder for a lock at {@code path} with other settings. */
    public static Builder builder(ZkClient client, String path) {
        return new Builder(client, path);
    }

    /** Settings for a {@link ZkMutex}. */
    public static final class Builder {
        private final ZkClient client;
        private final String path;
        private byte[] nodeData;
        private int maxLocalContenders = 16;
        private LeasePolicy policy = LeasePolicy.SESSION;
        /** The node name and grant rule: Curator's mutex unless a read/write lock side sets them. */
        String lockName = LOCK_NAME;

        Contention.Rule rule;

        private Builder(ZkClient client, String path) {
            this.client = Objects.requireNonNull(client, "client");
            this.path = Names.checkRecipePath(path);
        }

        /** Data to store in each contender node, e.g. this process's name for operators; default none. */
        public Builder nodeData(byte[] data) {
            this.nodeData = data == null ? null : data.clone();
            return this;
        }

        /**
         * How many of this instance's callers may have a contender node in ZooKeeper at once; the
         * others queue locally, first come first served. Default 16.
         */
        public Builder maxLocalContenders(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxLocalContenders must be positive: " + max);
            }
            this.maxLocalContenders = max;
            return this;
        }

        /** How long its leases are trusted through connection trouble; default {@link LeasePolicy#SESSION}. */
        public Builder leasePolicy(LeasePolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The lock; nothing is sent until the first acquire. */
        public ZkMutex build() {
            return new ZkMutex(this);
        }
    }

    /** The lock's path. */
    public String path() {
        return path;
    }

    /**
     * Blocks until this caller holds the lock.
     *
     * <h4>Notable errors</h4>
     * {@link ZkException.SessionExpired} or {@link ZkException.Closed} if the session ends while
     * waiting; {@link ZkException.ConnectionLoss} if creating the contender node kept failing beyond
     * {@link ProtectedCreate}'s retry budget; {@link ZkException.NoNode} if the contender node kept
     * being deleted by someone else (three times).
     *
     * <h4>Interruption</h4>
     * {@link InterruptedException} (the interrupt status cleared), whether interrupted while queued
     * locally, while creating its node or while waiting; its contender node is removed first, or,
     * if ZooKeeper cannot be reached at that moment, by a background thread as soon as it can (or
     * with the session).
     *
     * <h4>After a connection loss</h4>
     * Waiting goes on across reconnects (the watch on the predecessor survives them). A create whose
     * reply was lost is settled by {@link ProtectedCreate}: never a second contender of this caller,
     * never a node of another session. The lock is granted when a listing shows the node at the
     * head of the queue and the node was created by the client's current session; the lease's
     * monitor then arms a watch on the node and checks its owner, so a deletion by someone else
     * is seen from then on. A lease returned after a reconnect is as good as any.
     *
     * @return the lease, valid when returned
     */
    public LockLease acquire() throws InterruptedException {
        return acquire(Deadlines.NONE).orElseThrow();
    }

    /**
     * Blocks until this caller holds the lock, or the timeout passes. With a zero timeout it takes
     * the lock only if nobody holds or awaits it.
     *
     * <h4>Notable errors</h4>
     * As {@link #acquire()}.
     *
     * <h4>Interruption and timeout</h4>
     * Interrupted: {@link InterruptedException}, as {@link #acquire()}. Timed out: empty, and its
     * contender node is removed as after an interruption. The timeout bounds the waiting; a ZooKeeper
     * call under way when it passes still takes up to the client's request timeout.
     *
     * <h4>After a connection loss</h4>
     * As {@link #acquire()}; a connection that stays down past the timeout ends it with empty.
     *
     * @return the lease, valid when returned, or empty if the timeout passed first
     */
    public Optional<LockLease> tryAcquire(Duration timeout) throws InterruptedException {
        return acquire(Deadlines.after(Objects.requireNonNull(timeout, "timeout")));
    }

    private Optional<LockLease> acquire(long deadline) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before acquiring " + path);
        }
        if (deadline == Deadlines.NONE) {
            local.acquire();
        } else if (!local.tryAcquire(Math.max(0, Deadlines.remaining(deadline)), TimeUnit.NANOSECONDS)) {
            return Optional.empty();
        }
        NodeLease lease = contention.lease(nodeData, deadline, policy, local::release);
        return lease == null ? Optional.empty() : Optional.of(new LockLease(path, lease));
    }

    /**
     * The contender nodes' names in lock order: the first holds the lock (or is about to learn it
     * does). For operators and tests; the answer is stale as soon as it is returned.
     */
    public List<String> contenders() {
        return contention.list();
    }

    @Override
    public String toString() {
        return "ZkMutex[" + path + "]";
    }
}
