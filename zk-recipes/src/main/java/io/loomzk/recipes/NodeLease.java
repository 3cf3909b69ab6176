package io.loomzk.recipes;

import io.loomzk.client.NodeData;
import io.loomzk.client.OneShotWatch;
import io.loomzk.client.Op;
import io.loomzk.client.OpResult;
import io.loomzk.client.SessionState;
import io.loomzk.client.Watched;
import io.loomzk.client.WatchedEvent;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.protocol.EventType;
import io.loomzk.protocol.Stat;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * What every {@link Lease} shares: ownership of one ephemeral node, how long it
 * can be trusted, and its release.
 *
 * <p>Validity is decided from these facts, each checked directly by {@link #isValid()} so that a
 * caller never depends on a background thread having run: the client's session is still the one
 * that owns the node and is not over; the one-shot watch on the node has not reported its
 * deletion (the client's reader thread sets it the moment the notification arrives); a server
 * was heard from within half the session timeout ({@link #SILENCE_FRACTION}); and, under
 * {@link LeasePolicy#STRICT}, the client is {@code CONNECTED} right now. A monitor thread
 * ({@code zk-lease-<node>}) keeps the watch armed and wakes {@link #awaitLoss} waiters as soon as
 * any fact changes; after every reconnect a short-lived thread ({@code zk-job-lease-verify-<node>}, a job the client owns)
 * re-reads the node and checks its {@code ephemeralOwner}.
 *
 * <p>Threads: the monitor owns {@link #watch}; the client's state listener thread starts the
 * verifier; anyone may call {@link #lose}, which publishes the loss once under {@link #lock}. No
 * thread interrupts another (an interrupt racing {@code Thread.interrupted()} briefly pins a
 * virtual thread inside the JDK), and no lock is held across a ZooKeeper call.
 */
final class NodeLease {
    private static final System.Logger LOG = System.getLogger(NodeLease.class.getName());
    /** A lease is lost once {@code sinceLastHeard} reaches this fraction of the session timeout. */
    static final double SILENCE_FRACTION = 0.5;

    /** A lost lease's node stays for a third of the session timeout unless closed first. */
    static final int LOST_NODE_GRACE_DIVISOR = 3;

    private static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(20);

    private final ZkClient client;
    private final String node;
    private final long session;
    private final long token;
    private final long silenceNanos;
    private final Duration closeBudget;
    /** How long the node of a lease lost to silence or a disconnection stays if nobody closes it. */
    private final Duration lostNodeGrace;

    private final boolean strict;
    private final Runnable onEnd;
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread monitor;
    private final Consumer<SessionState> listener = this::onState;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled once, when {@link #loss} is set. */
    private final Condition lost = lock.newCondition();
    /** Null while valid; set once, under {@link #lock}. */
    private volatile LeaseLoss loss;
    /** The armed watch on the node; written by the monitor only. */
    private volatile OneShotWatch watch;

    /**
     * A lease on a granted node.
     *
     * @param stat the node's stat (its owner session and czxid, the fencing token)
     * @param watch a data watch already armed on the node, or null: the monitor then arms one at
     *     once and checks the node's owner with the same read
     * @param onEnd runs once when the lease ends (lost or closed), e.g. to admit the next local waiter
     */
    NodeLease(ZkClient client, String node, Stat stat, OneShotWatch watch, LeasePolicy policy, Runnable onEnd) {
        this.client = client;
        this.strict = policy == LeasePolicy.STRICT;
        this.node = node;
        this.session = stat.ephemeralOwner();
        this.token = stat.czxid();
        Duration sessionTimeout = client.negotiatedSessionTimeout();
        this.silenceNanos = (long) (sessionTimeout.toNanos() * SILENCE_FRACTION);
        this.closeBudget = sessionTimeout;
        // in nanoseconds: Duration.dividedBy works through BigDecimal, on every grant
        this.lostNodeGrace = Duration.ofNanos(sessionTimeout.toNanos() / LOST_NODE_GRACE_DIVISOR);
        this.watch = watch;
        this.onEnd = onEnd;
        this.monitor = Thread.ofVirtual().name("zk-lease-" + Names.name(node)).unstarted(this::monitor);
    }

    /** Starts watching; call once, right after construction. */
    void start() {
        client.addStateListener(listener);
        monitor.start();
    }

    String node() {
        return node;
    }

    long sessionId() {
        return session;
    }

    long fencingToken() {
        return token;
    }

    Optional<LeaseLoss> loss() {
        isValid();
        return Optional.ofNullable(loss);
    }

    boolean isValid() {
        if (loss != null) {
            return false;
        }
        LeaseLoss now = check();
        if (now != null) {
            lose(now);
            return false;
        }
        return true;
    }

    /** Why the lease cannot be trusted now, or null if it can. Never blocks. */
    private LeaseLoss check() {
        SessionState state = client.state();
        if (client.sessionId() != session || state.isTerminal()) {
            return LeaseLoss.SESSION_ENDED;
        }
        if (strict && state != SessionState.CONNECTED) {
            return LeaseLoss.DISCONNECTED;
        }
        OneShotWatch w = watch;
        if (w != null) {
            try {
                Optional<WatchedEvent> event = w.poll();
                if (event.isPresent() && event.get().type() == EventType.NODE_DELETED) {
                    return LeaseLoss.NODE_DELETED;
                }
            } catch (ZkException e) {
                return LeaseLoss.SESSION_ENDED; // the watch ended with the session
            }
        }
        if (client.sinceLastHeard().toNanos() >= silenceNanos) {
            return LeaseLoss.CONNECTION_SILENT;
        }
        return null;
    }

    /** Publishes a loss (the first one wins) and lets go of the node as the loss requires. */
    void lose(LeaseLoss reason) {
        lock.lock();
        try {
            if (loss != null) {
                return;
            }
            loss = reason;
            lost.signalAll();
        } finally {
            lock.unlock();
        }
        client.removeStateListener(listener);
        if (reason == LeaseLoss.RELEASED) {
            return; // close() removes the node itself
        }
        LOG.log(Level.DEBUG, () -> "lease on " + node + " lost: " + reason);
        if (reason == LeaseLoss.CONNECTION_SILENT || reason == LeaseLoss.DISCONNECTED) {
            // Still ours, possibly, but no longer trusted: let the next contender in, but not at
            // once. The holder learns of the loss when it next looks at isValid(), and a removal
            // right now could grant the next holder while this one is still between two looks.
            // close() removes the node at once; otherwise it goes after the grace.
            Cleanup.removeNodeInBackgroundAfter(client, node, session, lostNodeGrace);
        }
        end();
    }

    Optional<LeaseLoss> awaitLoss(long deadline) throws InterruptedException {
        while (true) {
            if (!isValid()) {
                return Optional.of(loss);
            }
            long remaining = Deadlines.remaining(deadline);
            if (remaining <= 0) {
                return Optional.empty();
            }
            long untilSilent = silenceNanos - client.sinceLastHeard().toNanos();
            long wait = Math.min(remaining, Math.max(MIN_WAIT_NANOS, untilSilent));
            lock.lockInterruptibly();
            try {
                if (loss == null) {
                    lost.awaitNanos(wait);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    List<OpResult> guardedMulti(List<Op> ops) {
        Objects.requireNonNull(ops, "ops");
        if (!isValid()) {
            throw new LeaseLostException(node, loss, null);
        }
        List<Op> all = new ArrayList<>(ops.size() + 1);
        all.add(Op.check(node, -1));
        all.addAll(ops);
        List<OpResult> results;
        try {
            results = client.multi(all);
        } catch (ZkException.MultiFailed e) {
            if (e.failedIndex() == 0) {
                lose(LeaseLoss.NODE_DELETED);
                throw new LeaseLostException(node, loss, e);
            }
            throw e;
        }
        return results.subList(1, results.size());
    }

    /** Releases the lease: removes the node (see {@link Cleanup}), then ends. Idempotent. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        lose(LeaseLoss.RELEASED);
        LeaseLoss why = loss;
        // A node deleted or replaced by someone else is not ours to delete. A session that ended
        // took its node with it, and then the removal does nothing (it checks the session first),
        // but it runs anyway in case the loss was misreported.
        if (why != LeaseLoss.NODE_DELETED && why != LeaseLoss.NODE_REPLACED) {
            Cleanup.removeNode(client, node, session, closeBudget);
        }
        end();
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            onEnd.run();
        }
    }

    private void onState(SessionState state) {
        if (strict && !state.isTerminal() && state != SessionState.CONNECTED && loss == null) {
            LeaseLoss now = check(); // the state may have moved on already: look, don't trust the event
            if (now != null) {
                lose(now);
            }
        } else if (state.isTerminal()) {
            // Look rather than trust the event: a listener may get an old session's end after
            // startNewSession() (events queue behind a slow listener), and this lease may be the
            // new session's.
            LeaseLoss now = check();
            if (now != null) {
                lose(now);
            }
        } else if (state.isConnected() && loss == null) {
            // a reconnect: verify the node is still this session's, on a thread of its own so the
            // listener thread never blocks (and nobody has to interrupt the monitor); the client
            // owns that thread and joins it on close
            client.runInBackground("lease-verify-" + Names.name(node), this::verify);
        }
    }

    /** Reads the node and loses the lease unless it exists and belongs to this lease's session. */
    private void verify() {
        try {
            Optional<Stat> stat = client.exists(node);
            LeaseLoss problem = stat.isEmpty() ? LeaseLoss.NODE_DELETED : ownership(stat.get());
            if (problem != null) {
                lose(problem);
            }
        } catch (ZkException e) {
            if (e.isTerminal()) {
                lose(LeaseLoss.SESSION_ENDED);
            }
            // otherwise the connection dropped again: the next reconnect verifies, and the watch
            // and the silence check hold meanwhile
        }
    }

    /**
     * Keeps the watch armed and turns its firing, the session's end or silence into a loss. It
     * waits on the watch at most until the lease would turn silent, and ends once the lease is
     * lost and it wakes (the node's deletion fires the watch; the session's end ends it).
     */
    private void monitor() {
        OneShotWatch w = watch;
        while (loss == null) {
            LeaseLoss now = check();
            if (now != null) {
                lose(now);
                return;
            }
            try {
                if (w == null) {
                    Watched<NodeData> read = client.getDataAndWatch(node);
                    LeaseLoss problem = ownership(read.value().stat());
                    if (problem != null) {
                        lose(problem);
                        return;
                    }
                    w = read.watch();
                    watch = w;
                    continue;
                }
                long untilSilent = silenceNanos - client.sinceLastHeard().toNanos();
                if (untilSilent <= 0) {
                    continue; // check() decides
                }
                Optional<WatchedEvent> event = w.await(Duration.ofNanos(untilSilent));
                if (event.isPresent()) {
                    if (event.get().type() == EventType.NODE_DELETED) {
                        lose(LeaseLoss.NODE_DELETED);
                        return;
                    }
                    w = null; // the data changed: re-arm, and re-verify with the same read
                }
            } catch (InterruptedException e) {
                return; // nobody interrupts the monitor but the JVM shutting down
            } catch (ZkException.NoNode e) {
                lose(LeaseLoss.NODE_DELETED);
                return;
            } catch (ZkException e) {
                if (e.isTerminal()) {
                    lose(LeaseLoss.SESSION_ENDED);
                    return;
                }
                if (e instanceof ZkException.Interrupted) {
                    return;
                }
                awaitConnected(); // the re-arm failed: try again once connected
            }
        }
    }

    private LeaseLoss ownership(Stat stat) {
        if (stat.ephemeralOwner() != session) {
            return LeaseLoss.NODE_REPLACED;
        }
        return client.sessionId() != session ? LeaseLoss.SESSION_ENDED : null;
    }

    /** Waits for a connection (at most until the lease would turn silent), and a little more if there is one. */
    private void awaitConnected() {
        long untilSilent = silenceNanos - client.sinceLastHeard().toNanos();
        try {
            SessionState state = client.awaitState(
                    Duration.ofNanos(Math.max(MIN_WAIT_NANOS, untilSilent)),
                    SessionState.CONNECTED,
                    SessionState.READ_ONLY);
            if (state.isConnected()) {
                Thread.sleep(RETRY_PAUSE); // connected, yet the read failed: do not spin
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the monitor's next wait returns at once, and it ends
        }
    }

    @Override
    public String toString() {
        LeaseLoss l = loss;
        return node + " (token " + token + ", session 0x" + Long.toHexString(session) + ", "
                + (l == null ? "valid" : "lost: " + l) + ")";
    }
}
