package io.loomzk.recipes;

import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A read/write lock across processes: any number of readers at once, or one writer alone. Both
 * sides grant {@link LockLease}s, handles any thread may close, with the validity rules of every
 * {@link Lease} and a fencing token.
 *
 * <pre>{@code
 * ZkReadWriteLock lock = ZkReadWriteLock.of(zk, "/locks/catalogue");
 * try (LockLease read = lock.readLock().acquire()) {
 *     ... read, many processes at once ...
 * }
 * try (LockLease write = lock.writeLock().acquire()) {
 *     store.write(record, write.fencingToken());
 * }
 * }</pre>
 *
 * <h2>Order and fairness</h2>
 * Readers and writers queue in one line, in the order ZooKeeper numbered their nodes. A writer is
 * granted when nobody is ahead of it; a reader when no writer is ahead of it. So a writer waits
 * only for those who came before it, and readers who come after a waiting writer queue behind it:
 * a stream of readers cannot starve a writer. A waiting writer watches the node just ahead of it,
 * a waiting reader the nearest writer ahead of it.
 *
 * <h2>Interoperability</h2>
 * Nodes are named and ordered as Apache Curator's {@code InterProcessReadWriteLock} names and
 * orders them: {@code _c_<uuid>-__READ__<sequence>} and {@code _c_<uuid>-__WRIT__<sequence>}
 * directly under the lock's path, ordered by sequence. LoomZK and Curator processes can therefore
 * share one lock. Unlike Curator's, neither side is re-entrant or tied to a thread (a writer that
 * also wants to read takes a read lease after it releases, or simply reads under its write lease).
 *
 * <h2>Local contenders</h2>
 * Each side lets at most {@link Builder#maxLocalContenders(int)} of this instance's callers (default
 * 16) have a node in ZooKeeper at once; the others queue locally, first come first served. For the
 * read side that is also the most readers of this instance holding at once.
 *
 * <p>Instances are thread-safe. Notable errors, interruption and connection loss are as for
 * {@link ZkMutex#acquire()}.
 */
public final class ZkReadWriteLock {
    /** Curator's read-lock node name. */
    static final String READ_NAME = "__READ__";
    /** Curator's write-lock node name. */
    static final String WRITE_NAME = "__WRIT__";

    /** Curator's order for the shared line: by {@link #sortKey}, then by name. */
    private static final Comparator<String> ORDER =
            Names.queueOrder(n -> Names.keyStart(n, Names.keyStart(n, 0, READ_NAME), WRITE_NAME));

    /** Curator's order for the shared line, and who waits for whom. */
    static final Contention.Rule RULE = new Contention.Rule() {
        @Override
        public List<String> queue(List<String> children) {
            List<String> queue = new ArrayList<>(children.size());
            for (String child : children) {
                if (child.contains(READ_NAME) || child.contains(WRITE_NAME)) {
                    queue.add(child);
                }
            }
            queue.sort(ORDER);
            return queue;
        }

        @Override
        public int blocker(List<String> queue, int index) {
            if (isWriter(queue.get(index))) {
                return index - 1;
            }
            for (int i = index - 1; i >= 0; i--) {
                if (isWriter(queue.get(i))) {
                    return i;
                }
            }
            return -1;
        }
    };

    private final String path;
    private final Side read;
    private final Side write;
    private final Contention observer;

    private ZkReadWriteLock(Builder b) {
        this.path = b.path;
        this.read = new Side(side(b, READ_NAME), false);
        this.write = new Side(side(b, WRITE_NAME), true);
        this.observer = new Contention(b.client, b.path, WRITE_NAME, RULE);
    }

    private static ZkMutex side(Builder b, String name) {
        ZkMutex.Builder m = ZkMutex.builder(b.client, b.path)
                .maxLocalContenders(b.maxLocalContenders)
                .leasePolicy(b.policy)
                .nodeData(b.nodeData);
        m.lockName = name;
        m.rule = RULE;
        return m.build();
    }

    static boolean isWriter(String name) {
        return name.contains(WRITE_NAME);
    }

    /** Curator's sort key for the shared line: the sequence after {@code __READ__} or {@code __WRIT__}. */
    static String sortKey(String name) {
        return Names.sortKey(Names.sortKey(name, READ_NAME), WRITE_NAME);
    }

    /**
     * A read/write lock at {@code path} (created on first use, as a container node, with any missing
     * ancestors).
     *
     * @throws IllegalArgumentException if the path is not absolute, is the root, or has an empty segment
     */
    public static ZkReadWriteLock of(ZkClient client, String path) {
        return builder(client, path).build();
    }

    /** A builder for a read/write lock at {@code path} with other settings. */
    public static Builder builder(ZkClient client, String path) {
        return new Builder(client, path);
    }

    /** Settings for a {@link ZkReadWriteLock}. */
    public static final class Builder {
        private final ZkClient client;
        private final String path;
        private byte[] nodeData;
        private int maxLocalContenders = 16;
        private LeasePolicy policy = LeasePolicy.SESSION;

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
         * How many of this instance's callers may have a node in ZooKeeper at once, per side; the
         * others queue locally. Default 16.
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
        public ZkReadWriteLock build() {
            return new ZkReadWriteLock(this);
        }
    }

    /** The lock's path. */
    public String path() {
        return path;
    }

    /** The read side: shared with other readers, excluded by a writer. */
    public Side readLock() {
        return read;
    }

    /** The write side: excludes every other holder. */
    public Side writeLock() {
        return write;
    }

    /**
     * Every contender node's name, readers and writers, in line order. For operators and tests;
     * stale as soon as returned.
     */
    public List<String> contenders() {
        return observer.list();
    }

    @Override
    public String toString() {
        return "ZkReadWriteLock[" + path + "]";
    }

    /** One side of a {@link ZkReadWriteLock}. Thread-safe. */
    public static final class Side {
        private final ZkMutex queue;
        private final boolean writer;

        private Side(ZkMutex queue, boolean writer) {
            this.queue = queue;
            this.writer = writer;
        }

        /** Whether this is the write side. */
        public boolean isWrite() {
            return writer;
        }

        /**
         * Blocks until this caller holds this side of the lock.
         *
         * <h4>Notable errors</h4>
         * {@link ZkException.SessionExpired} or {@link ZkException.Closed} if the session ends while
         * waiting; {@link ZkException.ConnectionLoss} if creating the node kept failing; others as
         * {@link ZkMutex#acquire()}.
         *
         * <h4>Interruption</h4>
         * {@link InterruptedException}, the node removed first (or in the background when ZooKeeper
         * cannot be reached), as {@link ZkMutex#acquire()}.
         *
         * @return the lease, valid when returned
         */
        public LockLease acquire() throws InterruptedException {
            return queue.acquire();
        }

        /**
         * Blocks until this caller holds this side of the lock, or the timeout passes; with a zero
         * timeout it takes it only if it can at once. Errors and interruption as {@link #acquire()}.
         *
         * @return the lease, valid when returned, or empty if the timeout passed first (its node is
         *     then removed)
         */
        public Optional<LockLease> tryAcquire(Duration timeout) throws InterruptedException {
            return queue.tryAcquire(timeout);
        }

        @Override
        public String toString() {
            return (writer ? "write side of " : "read side of ") + queue.path();
        }
    }
}
