package io.loomzk.recipes;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.NodeData;
import io.loomzk.client.OneShotWatch;
import io.loomzk.client.SessionState;
import io.loomzk.client.Watched;
import io.loomzk.client.WatchedEvent;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.protocol.EventType;
import io.loomzk.protocol.Stat;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A node that stays: an ephemeral or a TTL node that this recipe creates, watches, and creates
 * again with its data whenever it goes (deleted by someone, removed by the server when its session
 * expired or its TTL ran out), until {@link #close()}.
 *
 * <pre>{@code
 * try (PersistentNode node = PersistentNode.ephemeral(zk, "/services/api/host-a", address).start()) {
 *     node.awaitCreated(Duration.ofSeconds(10));
 *     serve();
 * }                                               // closing deletes the node
 * }</pre>
 *
 * <h2>How it keeps the node</h2>
 * One virtual thread ({@code zk-persistent-<name>}) per node creates it (missing ancestors as
 * containers), then waits on a data watch and creates it again when it is deleted. A path held by
 * another session's ephemeral node is waited out (it is re-created once that node goes). A TTL node
 * is touched (its data set again) every third of its TTL, so it expires only when this process stops
 * touching it. After the session expires, the node is created in the next session, once there is
 * one: the recipe starts it itself if built with {@link Builder#startingNewSessions()}, otherwise it
 * waits for the application to call {@link ZkClient#startNewSession()}. Nothing it does blocks the
 * caller; failures are retried with a pause, and logged.
 *
 * <p>Data changes made by others are left alone; {@link #setData} changes what is written from then
 * on (and writes it now). Threads: the keeper thread owns the watch; {@link #close()} cancels the
 * watch to wake it and joins it (bounded); the current node is published under {@link #lock}.
 */
public final class PersistentNode implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PersistentNode.class.getName());
    private static final Duration PAUSE = Duration.ofMillis(100);

    private final ZkClient client;
    private final String path;
    private final CreateOptions options;
    private final Duration ttl;
    private final boolean startSessions;
    private final Thread keeper;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled whenever {@link #created} is set. */
    private final Condition createdChanged = lock.newCondition();
    /** The stat of the node as this recipe last created or saw it, null while it is missing; under {@link #lock}. */
    private Stat created;

    /** The data to write; set by {@link #setData}. */
    private volatile byte[] data;
    /** The watch the keeper waits on; written by the keeper, cancelled by {@link #close()}. */
    private volatile OneShotWatch watch;

    private volatile boolean closed;

    private PersistentNode(Builder b) {
        this.client = b.client;
        this.path = b.path;
        this.options = b.options;
        this.ttl = b.ttl;
        this.data = b.data;
        this.startSessions = b.startSessions;
        this.keeper =
                Thread.ofVirtual().name("zk-persistent-" + Names.name(path)).unstarted(this::keep);
    }

    /**
     * An ephemeral node at {@code path} holding {@code data}; call {@link Builder#start()}.
     *
     * @throws IllegalArgumentException for a malformed path
     */
    public static Builder ephemeral(ZkClient client, String path, byte[] data) {
        return new Builder(client, path, data, CreateOptions.ephemeral(), null);
    }

    /**
     * A TTL node at {@code path} holding {@code data}: persistent, removed by the server if not
     * touched for {@code ttl} (the server must run with {@code extendedTypesEnabled=true}; otherwise
     * every create fails with {@link ZkException.Unimplemented}, which is logged).
     */
    public static Builder ttl(ZkClient client, String path, byte[] data, Duration ttl) {
        return new Builder(client, path, data, CreateOptions.ttl(ttl), ttl);
    }

    /** Settings of a {@link PersistentNode}. */
    public static final class Builder {
        private final ZkClient client;
        private final String path;
        private final byte[] data;
        private final CreateOptions options;
        private final Duration ttl;
        private boolean startSessions;

        private Builder(ZkClient client, String path, byte[] data, CreateOptions options, Duration ttl) {
            this.client = Objects.requireNonNull(client, "client");
            this.path = Names.checkRecipePath(path);
            this.data = data == null ? null : data.clone();
            this.options = options;
            this.ttl = ttl;
        }

        /**
         * After the session expires, start a new one on the client ({@link ZkClient#startNewSession()})
         * rather than wait for the application to; the client is shared, so this affects all its
         * users.
         */
        public Builder startingNewSessions() {
            this.startSessions = true;
            return this;
        }

        /** Starts keeping the node; returns at once (see {@link PersistentNode#awaitCreated}). */
        public PersistentNode start() {
            PersistentNode node = new PersistentNode(this);
            node.keeper.start();
            return node;
        }
    }

    /** The node's path. */
    public String path() {
        return path;
    }

    /**
     * Blocks until the node exists as this recipe created it (or the timeout passes).
     *
     * @return true if it exists, as far as this client knows
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitCreated(Duration timeout) throws InterruptedException {
        long deadline = Deadlines.after(timeout);
        lock.lockInterruptibly();
        try {
            while (created == null && !closed) {
                long remaining = Deadlines.remaining(deadline);
                if (remaining <= 0) {
                    return false;
                }
                createdChanged.awaitNanos(remaining);
            }
            return created != null;
        } finally {
            lock.unlock();
        }
    }

    /** The node's stat as last created or seen by this recipe, or empty while it is missing; never blocks. */
    public Optional<Stat> current() {
        lock.lock();
        try {
            return Optional.ofNullable(created);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Changes the data: written to the node now (if it exists) and on every re-creation.
     *
     * @throws ZkException if the write fails; the new data is kept for the next creation either way
     */
    public void setData(byte[] newData) {
        this.data = newData == null ? null : newData.clone();
        if (current().isPresent()) {
            try {
                client.setData(path, data, -1);
            } catch (ZkException.NoNode e) {
                // gone meanwhile: the keeper creates it with the new data
            }
        }
    }

    private void publish(Stat stat) {
        lock.lock();
        try {
            created = stat;
            createdChanged.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void keep() {
        while (!closed) {
            try {
                if (client.state().isTerminal()) {
                    publish(null);
                    if (!awaitNewSession()) {
                        return;
                    }
                    continue;
                }
                Stat stat = ensure();
                if (stat == null) {
                    continue; // another session's node held the path; waited for it to go
                }
                publish(stat);
                watchUntilGone();
            } catch (InterruptedException e) {
                return; // nobody interrupts the keeper but the JVM shutting down
            } catch (ZkException e) {
                if (closed) {
                    return;
                }
                if (!Failures.isTransient(e) && !e.isTerminal()) {
                    LOG.log(Level.WARNING, () -> "keeping " + path + " failed; trying again", e);
                }
                pause();
            }
        }
    }

    /** Creates the node; null if another session's ephemeral node holds the path (after waiting for it to go). */
    private Stat ensure() throws InterruptedException {
        try {
            return Parents.create(client, path, data, options).stat();
        } catch (ZkException.NodeExists e) {
            // ours from a create whose reply was lost, a TTL node of ours, or another session's
            Watched<Optional<Stat>> read = client.existsAndWatch(path);
            Optional<Stat> stat = read.value();
            if (stat.isEmpty()) {
                read.watch().cancel();
                return null; // gone meanwhile: create again
            }
            long owner = stat.get().ephemeralOwner();
            if (owner == client.sessionId() || (ttl != null && owner == 0)) {
                read.watch().cancel();
                if (ttl != null) {
                    return client.setData(path, data, -1); // adopt it with our data
                }
                return stat.get();
            }
            watch = read.watch();
            if (closed) {
                read.watch().cancel();
                return null;
            }
            awaitWatch(Deadlines.NONE); // another session's: wait for it to go
            return null;
        }
    }

    /** Waits until the node is deleted (or the session ends, or close), touching a TTL node meanwhile. */
    private void watchUntilGone() throws InterruptedException {
        while (!closed) {
            Watched<NodeData> read;
            try {
                read = client.getDataAndWatch(path);
            } catch (ZkException.NoNode e) {
                publish(null);
                return;
            }
            watch = read.watch();
            if (closed) {
                read.watch().cancel();
                return;
            }
            long deadline = ttl == null ? Deadlines.NONE : Deadlines.after(ttl.dividedBy(3));
            Optional<WatchedEvent> event = awaitWatch(deadline);
            if (event.isEmpty()) {
                client.setData(path, data, -1); // touch the TTL node
                continue;
            }
            if (event.get().type() == EventType.NODE_DELETED) {
                publish(null);
                return;
            }
            // data changed or the watch was cancelled (close): look again
        }
    }

    private Optional<WatchedEvent> awaitWatch(long deadline) throws InterruptedException {
        OneShotWatch w = watch;
        boolean fired = false;
        try {
            Optional<WatchedEvent> event;
            if (deadline == Deadlines.NONE) {
                event = Optional.of(w.await());
            } else {
                long remaining = Deadlines.remaining(deadline);
                event = remaining > 0 ? w.await(Duration.ofNanos(remaining)) : Optional.empty();
            }
            fired = event.isPresent();
            return event;
        } finally {
            if (!fired) {
                w.cancel();
            }
        }
    }

    /** After the session ended: false if the client was closed, true once a new session is connected. */
    private boolean awaitNewSession() throws InterruptedException {
        while (!closed) {
            SessionState state = client.state();
            if (state == SessionState.CLOSED) {
                return false;
            }
            if (!state.isTerminal()) {
                return true;
            }
            if (startSessions) {
                try {
                    client.startNewSession();
                    return true;
                } catch (IllegalStateException e) {
                    // someone else started it meanwhile, or the client was closed: look again
                } catch (ZkException e) {
                    // no server accepted a session in time: try again after a pause
                }
            }
            Thread.sleep(PAUSE);
        }
        return false;
    }

    private void pause() {
        try {
            Thread.sleep(PAUSE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    /**
     * Stops keeping the node and deletes it (if it is this recipe's: for an ephemeral node, of the
     * current session). Blocks until the keeper thread has ended (at most the client's request
     * timeout) and the delete is done or handed to a background thread; idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        OneShotWatch w = watch;
        if (w != null) {
            w.cancel();
        }
        boolean interrupted = false;
        try {
            if (!keeper.join(client.requestTimeout().plusSeconds(1))) {
                LOG.log(Level.WARNING, () -> "the keeper of " + path + " did not end in time");
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        Stat stat = current().orElse(null);
        publish(null);
        if (stat != null && !client.state().isTerminal()) {
            if (ttl == null) {
                Cleanup.removeNode(client, path, stat.ephemeralOwner(), client.negotiatedSessionTimeout());
            } else {
                try {
                    client.delete(path, -1);
                } catch (ZkException e) {
                    // gone already, or unreachable: a TTL node expires on its own
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "PersistentNode[" + path + (ttl == null ? ", ephemeral" : ", ttl " + ttl.toMillis() + " ms") + "]";
    }
}
