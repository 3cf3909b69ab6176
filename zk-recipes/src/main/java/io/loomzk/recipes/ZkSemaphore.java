package io.loomzk.recipes;

import io.loomzk.client.Children;
import io.loomzk.client.CreateOptions;
import io.loomzk.client.Created;
import io.loomzk.client.NodeData;
import io.loomzk.client.OneShotWatch;
import io.loomzk.client.Watched;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.protocol.Stat;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A counting semaphore across processes: at most N {@link SemaphoreLease}s are valid at once, N
 * being stored in the semaphore's node so every process agrees on it.
 *
 * <pre>{@code
 * ZkSemaphore slots = ZkSemaphore.of(zk, "/semaphores/exports", 8);
 * try (SemaphoreLease lease = slots.acquire()) {
 *     runExport(lease);                        // checks lease.isValid() as it goes
 * }
 * }</pre>
 *
 * <h2>How it grants</h2>
 * A lease is an ephemeral-sequential node {@code _c_<uuid>-lease-<seq>} under {@code <path>/leases}.
 * A caller first takes a mutex at {@code <path>/locks}, creates its lease node, and waits (still
 * holding the mutex) until the {@code leases} directory has at most N children, its own included;
 * then it releases the mutex. Safety does not depend on the mutex: of any N + 1 leases, the one
 * created last listed the directory after the others were created, while they were still there,
 * and so saw more than N. The mutex gives liveness: only one caller at a time waits with a node in
 * the count, so waiters never block each other.
 *
 * <h2>The limit</h2>
 * N is the data of the semaphore's node, a 4-byte big-endian integer, as Curator's
 * {@code SharedCount} stores it. The first caller creates the node with the builder's
 * {@link Builder#maxLeases(int) maxLeases}; from then on the stored value wins over the builder's,
 * and {@link #setMaxLeases(int)} changes it for everyone (waiters notice within a quarter
 * second). A node with no data is given the builder's; a node with data of another length is
 * refused with an {@link IllegalStateException}.
 *
 * <h2>Interoperability</h2>
 * The layout is Apache Curator's {@code InterProcessSemaphoreV2} with a {@code SharedCount} on the
 * semaphore's own path: {@code new InterProcessSemaphoreV2(curator, path, new SharedCount(curator,
 * path, n))} and this class share one semaphore, and a Curator semaphore built with a plain
 * {@code int} limit shares it too if it uses the same N.
 *
 * <p>Callers of one instance queue locally, first come first served, for the mutex: at most one
 * of them has a mutex node in ZooKeeper at a time, and a caller that was granted hands the mutex
 * node straight to the next local caller (at most {@value #MAX_HANDOFFS} times in a row, then it
 * is released so other processes get their turn), which saves three round trips per lease. Share
 * one instance among a process's threads. Instances are thread-safe.
 */
public final class ZkSemaphore {
    /** Curator's directory names and lease node name. */
    static final String LEASES = "leases";

    static final String LOCKS = "locks";
    static final String LEASE_NAME = "lease-";
    /** How often a waiter looks again at the stored limit while the leases do not change. */
    private static final long LIMIT_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    /**
     * How many local callers in a row may use one mutex node before it is released, so callers of
     * other processes waiting for the mutex get their turn.
     */
    static final int MAX_HANDOFFS = 16;
    /** How often a caller whose lease node vanished starts over before giving up. */
    private static final int MAX_ROUNDS = 3;

    private final ZkClient client;
    private final String path;
    private final String leasesDir;
    private final int seed;
    private final byte[] nodeData;
    private final LeasePolicy policy;
    /** The mutex at {@code <path>/locks}: a plain queue, no lease (only its existence matters). */
    private final Contention gate;
    /** This instance's callers take turns for the mutex: at most one of them has a node there. */
    private final Semaphore local = new Semaphore(1, true);
    /**
     * The mutex node a caller that was granted kept for the next local caller, or null; taken over
     * or removed only by the holder of {@link #local}'s permit (others only look at it).
     */
    private volatile Contention.Grant keptMutex;
    /** How many local callers in a row have used {@link #keptMutex}; same owner. */
    private int handoffs;

    private final ProtectedCreate creator;
    /** The limit as last read and the watch that tells when it changes; replaced by any caller. */
    private volatile Limit limit;

    private record Limit(int value, OneShotWatch watch) {
        boolean isCurrent() {
            return watch != null && !watch.isDone();
        }
    }

    private ZkSemaphore(Builder b) {
        this.client = b.client;
        this.path = b.path;
        this.leasesDir = Names.child(b.path, LEASES);
        this.seed = b.maxLeases;
        this.nodeData = b.nodeData;
        this.policy = b.policy;
        this.gate = new Contention(b.client, Names.child(b.path, LOCKS), ZkMutex.LOCK_NAME);
        this.creator = ProtectedCreate.on(b.client).creatingParentContainers();
    }

    /**
     * A semaphore at {@code path} allowing {@code maxLeases} leases at once, unless its node already
     * stores another limit.
     *
     * @throws IllegalArgumentException if the path is not absolute, is the root, or has an empty
     *     segment, or {@code maxLeases} is not positive
     */
    public static ZkSemaphore of(ZkClient client, String path, int maxLeases) {
        return builder(client, path).maxLeases(maxLeases).build();
    }

    /** A builder for a semaphore at {@code path}; {@link Builder#maxLeases(int)} is required. */
    public static Builder builder(ZkClient client, String path) {
        return new Builder(client, path);
    }

    /** Settings for a {@link ZkSemaphore}. */
    public static final class Builder {
        private final ZkClient client;
        private final String path;
        private int maxLeases;
        private byte[] nodeData;
        private LeasePolicy policy = LeasePolicy.SESSION;

        private Builder(ZkClient client, String path) {
            this.client = Objects.requireNonNull(client, "client");
            this.path = Names.checkRecipePath(path);
        }

        /** The limit to store if the semaphore's node has none yet. */
        public Builder maxLeases(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxLeases must be positive: " + max);
            }
            this.maxLeases = max;
            return this;
        }

        /** Data to store in each lease node, e.g. this process's name for operators; default none. */
        public Builder nodeData(byte[] data) {
            this.nodeData = data == null ? null : data.clone();
            return this;
        }

        /** How long its leases are trusted through connection trouble; default {@link LeasePolicy#SESSION}. */
        public Builder leasePolicy(LeasePolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * The semaphore; nothing is sent until the first call.
         *
         * @throws IllegalStateException if no limit was given
         */
        public ZkSemaphore build() {
            if (maxLeases < 1) {
                throw new IllegalStateException("a semaphore needs maxLeases");
            }
            return new ZkSemaphore(this);
        }
    }

    /** The semaphore's path. */
    public String path() {
        return path;
    }

    /**
     * Blocks until this caller holds a lease.
     *
     * <h4>Notable errors</h4>
     * {@link ZkException.SessionExpired} or {@link ZkException.Closed} if the session ends while
     * waiting; {@link ZkException.ConnectionLoss} if creating a node kept failing beyond
     * {@link ProtectedCreate}'s retry budget; {@link ZkException.NoNode} if its lease node kept
     * being deleted by someone else (three times).
     *
     * <h4>Interruption</h4>
     * {@link InterruptedException} (the interrupt status cleared); its nodes are removed first, or
     * by a background thread when ZooKeeper cannot be reached at that moment.
     *
     * <h4>After a connection loss</h4>
     * Waiting goes on across reconnects; creates whose replies were lost are settled by
     * {@link ProtectedCreate}. The lease is granted only by a listing that shows the caller's own
     * node, made by the client's current session.
     *
     * @return the lease, valid when returned
     */
    public SemaphoreLease acquire() throws InterruptedException {
        return acquire(Deadlines.NONE).orElseThrow();
    }

    /**
     * Blocks until this caller holds a lease or the timeout passes; errors, interruption and
     * connection loss as {@link #acquire()}. A ZooKeeper call under way when the timeout passes
     * still takes up to the client's request timeout.
     *
     * @return the lease, valid when returned, or empty if the timeout passed first
     */
    public Optional<SemaphoreLease> tryAcquire(Duration timeout) throws InterruptedException {
        return acquire(Deadlines.after(Objects.requireNonNull(timeout, "timeout")));
    }

    /**
     * The limit stored in the semaphore's node (created with the builder's limit if missing).
     *
     * @throws ZkException as the client's calls
     */
    public int maxLeases() {
        return currentLimit();
    }

    /**
     * Stores a new limit for every process. Leases already granted stay valid; a lower limit only
     * delays new grants until enough leases are returned.
     *
     * @throws IllegalArgumentException if {@code max} is not positive
     * @throws ZkException as {@link ZkClient#setData}
     */
    public void setMaxLeases(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("maxLeases must be positive: " + max);
        }
        ensureLimitNode();
        client.setData(path, encode(max), -1);
    }

    /** The lease nodes' names (held and, for a moment, the one waiting); stale as soon as returned. */
    public List<String> leases() {
        try {
            return client.getChildren(leasesDir).names();
        } catch (ZkException.NoNode e) {
            return List.of();
        }
    }

    private Optional<SemaphoreLease> acquire(long deadline) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before acquiring a lease of " + path);
        }
        if (deadline == Deadlines.NONE) {
            try {
                local.acquire();
            } catch (InterruptedException e) {
                dropKeptMutex();
                throw e;
            }
        } else if (!local.tryAcquire(Math.max(0, Deadlines.remaining(deadline)), TimeUnit.NANOSECONDS)) {
            dropKeptMutex();
            return Optional.empty();
        }
        try {
            for (int round = 1; ; round++) {
                Contention.Grant mutex = takeKeptMutex();
                if (mutex == null) {
                    handoffs = 0;
                    mutex = gate.contend(null, deadline);
                    if (mutex == null) {
                        return Optional.empty();
                    }
                }
                Outcome outcome = null;
                try {
                    outcome = takeLease(mutex, deadline);
                } finally {
                    long owner = mutex.stat().ephemeralOwner();
                    if (outcome != null
                            && outcome.lease != null
                            && handoffs < MAX_HANDOFFS
                            && local.hasQueuedThreads()
                            && client.sessionId() == owner) {
                        keptMutex = mutex; // the next local caller goes on with it
                        handoffs++;
                    } else {
                        // a caller that gave up does not wait for the removal; one granted does, a little
                        Duration budget = outcome == null || outcome == Outcome.TIMED_OUT
                                ? Duration.ZERO
                                : client.negotiatedSessionTimeout();
                        Cleanup.removeNode(client, mutex.node(), owner, budget);
                    }
                }
                if (outcome.lease != null) {
                    return Optional.of(outcome.lease);
                }
                if (outcome == Outcome.TIMED_OUT || Deadlines.passed(deadline)) {
                    return Optional.empty();
                }
                if (outcome == Outcome.VANISHED && round >= MAX_ROUNDS) {
                    throw new ZkException.NoNode(leasesDir);
                }
                // the mutex was lost while waiting, or the node vanished: start over
            }
        } finally {
            local.release();
            if (keptMutex != null && !local.hasQueuedThreads()) {
                dropKeptMutex(); // the waiter it was kept for gave up meanwhile
            }
        }
    }

    /** The mutex node a previous local caller left for this one, if it is still this session's. */
    private Contention.Grant takeKeptMutex() {
        Contention.Grant kept = keptMutex;
        keptMutex = null;
        if (kept != null && client.sessionId() != kept.stat().ephemeralOwner()) {
            return null; // its session is over, and the node went with it
        }
        return kept;
    }

    /**
     * Removes a mutex node kept for a local caller that gave up (timed out or interrupted) before
     * it took it over. Whoever holds the permit when this fails to get it either takes the node
     * over or runs this again once it releases the permit.
     */
    private void dropKeptMutex() {
        if (!local.tryAcquire()) {
            return; // the holder of the permit takes it over or removes it
        }
        try {
            Contention.Grant kept = keptMutex;
            keptMutex = null;
            if (kept != null) {
                Cleanup.removeNode(client, kept.node(), kept.stat().ephemeralOwner(), Duration.ZERO);
            }
        } finally {
            local.release();
        }
    }

    /** What one turn under the mutex came to. */
    private record Outcome(SemaphoreLease lease) {
        static final Outcome TIMED_OUT = new Outcome(null);
        static final Outcome VANISHED = new Outcome(null);
        static final Outcome MUTEX_LOST = new Outcome(null);
    }

    /** Under the mutex: creates a lease node and waits for room. */
    private Outcome takeLease(Contention.Grant mutex, long deadline) throws InterruptedException {
        currentLimit(); // make sure the limit node exists before anything creates its path as a container
        Created created;
        try {
            created = creator.create(
                    Names.child(leasesDir, LEASE_NAME), nodeData, CreateOptions.ephemeralSequential(), deadline);
        } catch (ZkException.Interrupted e) {
            throw Failures.interrupted("creating a lease of " + path, e);
        } catch (ZkException e) {
            if (Failures.isTransient(e) && Deadlines.passed(deadline)) {
                return Outcome.TIMED_OUT;
            }
            throw e;
        }
        String node = created.path();
        long owner = created.stat().ephemeralOwner();
        Outcome outcome = null;
        try {
            outcome = awaitRoom(mutex, node, created.stat(), deadline);
            return outcome;
        } catch (ZkException.Interrupted e) {
            throw Failures.interrupted("waiting for a lease of " + path, e);
        } finally {
            if (outcome == null || outcome.lease == null) {
                Cleanup.removeNode(client, node, owner, Duration.ZERO);
            }
        }
    }

    private Outcome awaitRoom(Contention.Grant mutex, String node, Stat created, long deadline)
            throws InterruptedException {
        String me = Names.name(node);
        long owner = created.ephemeralOwner();
        while (true) {
            if (!Deadlines.awaitConnected(client, deadline)) {
                return Outcome.TIMED_OUT;
            }
            OneShotWatch watch = null;
            boolean keepWatch = false;
            try {
                int max = currentLimit();
                Watched<Children> listed = client.getChildrenAndWatch(leasesDir);
                watch = listed.watch();
                List<String> leases = listed.value().names();
                if (!leases.contains(me) || client.sessionId() != owner) {
                    return Outcome.VANISHED;
                }
                if (leases.size() <= max) {
                    NodeLease lease = new NodeLease(client, node, created, null, policy, () -> {});
                    lease.start();
                    return new Outcome(new SemaphoreLease(path, lease));
                }
                while (true) {
                    long remaining = Deadlines.remaining(deadline);
                    if (remaining <= 0) {
                        return Outcome.TIMED_OUT;
                    }
                    if (watch.await(Duration.ofNanos(Math.min(remaining, LIMIT_RECHECK_NANOS)))
                            .isPresent()) {
                        keepWatch = true; // fired: nothing left to cancel
                        break;
                    }
                    if (client.sessionId() != mutex.stat().ephemeralOwner()
                            || client.exists(mutex.node()).isEmpty()) {
                        return Outcome.MUTEX_LOST; // another caller may be waiting now: give way
                    }
                    Limit l = limit;
                    if (l == null || !l.isCurrent()) {
                        break; // the limit changed: look again
                    }
                }
            } catch (ZkException e) {
                if (!Failures.isTransient(e)) {
                    throw e;
                }
                if (Deadlines.passed(deadline)) {
                    return Outcome.TIMED_OUT;
                }
            } finally {
                if (watch != null && !keepWatch) {
                    watch.cancel();
                }
            }
        }
    }

    /** The stored limit, read once per change of the node (a data watch tells when). */
    private int currentLimit() {
        Limit l = limit;
        if (l != null && l.isCurrent()) {
            return l.value();
        }
        for (int attempt = 0; ; attempt++) {
            try {
                Watched<NodeData> read = client.getDataAndWatch(path);
                byte[] data = read.value().data();
                if (data == null || data.length == 0) {
                    // made as the parent of the leases or locks directory: store our limit in it
                    read.watch().cancel();
                    if (attempt >= 3) {
                        return seed; // it keeps changing under us: go by ours this time
                    }
                    client.compareAndSet(path, read.value().stat().version(), encode(seed));
                    continue;
                }
                if (data.length != Integer.BYTES) {
                    read.watch().cancel();
                    throw new IllegalStateException(path + " holds " + data.length
                            + " bytes, not a semaphore limit (a 4-byte big-endian int, Curator's SharedCount)");
                }
                int value = ByteBuffer.wrap(data).getInt();
                limit = new Limit(value, read.watch());
                return value;
            } catch (ZkException.NoNode e) {
                if (attempt >= 3) {
                    throw e;
                }
                ensureLimitNode();
            }
        }
    }

    private void ensureLimitNode() {
        try {
            client.createWithParents(path, encode(seed), CreateOptions.persistent());
        } catch (ZkException.NodeExists e) {
            // there already
        }
    }

    /** Curator's {@code SharedCount} bytes: a 4-byte big-endian int. */
    static byte[] encode(int value) {
        return ByteBuffer.allocate(Integer.BYTES).putInt(value).array();
    }

    @Override
    public String toString() {
        return "ZkSemaphore[" + path + "]";
    }
}
