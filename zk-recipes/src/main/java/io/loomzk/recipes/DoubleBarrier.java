package io.loomzk.recipes;

import io.loomzk.client.Children;
import io.loomzk.client.CreateOptions;
import io.loomzk.client.Created;
import io.loomzk.client.OneShotWatch;
import io.loomzk.client.Watched;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.protocol.Stat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A double barrier: members {@link #enter} and block until {@code memberCount} members have
 * entered, do their work, then {@link #leave} and block until every member has left. One
 * {@code DoubleBarrier} object is one member.
 *
 * <pre>{@code
 * DoubleBarrier barrier = DoubleBarrier.of(zk, "/jobs/reindex/barrier", 4);
 * if (barrier.enter(Duration.ofMinutes(1))) {       // false: fewer than 4 came in time
 *     try {
 *         reindexMyShard();
 *     } finally {
 *         barrier.leave(Duration.ofMinutes(1));
 *     }
 * }
 * }</pre>
 *
 * <h2>Interoperability</h2>
 * The node layout is Apache Curator's {@code DistributedDoubleBarrier}: each member is an ephemeral
 * node {@code <path>/<uuid>}, and the member that first counts {@code memberCount} members creates
 * the persistent node {@code <path>/ready}; members leave by deleting their nodes, and whoever sees
 * the barrier empty deletes {@code ready}. LoomZK and Curator members can share one barrier.
 *
 * <h2>Never released early</h2>
 * {@link #enter} returns true only on a fresh listing that shows either {@code memberCount} member
 * nodes at once, or a {@code ready} node created after this member joined, or one older than some
 * member still present (a round under way, which a late member joins, as in Curator:
 * {@code memberCount} is a threshold, not a limit).
 * A {@code ready} node left by a round whose members all died is recognised as stale (no member
 * older than it) and not trusted. Every wake-up (a watch event, a reconnect, the end of a wait) is
 * followed by a fresh listing, so a stray event or a reconnect never lets a member through (the
 * defect Curator fixed as GH-1290). A member that dies, or whose enter times out, takes its node
 * with it (ephemeral; a timed-out enter deletes its node), so it is not counted by anyone who
 * lists later; members that counted it a moment before may already have been released.
 *
 * <h2>Members that die</h2>
 * A dead member's node goes when its session ends, so it blocks nobody's {@link #leave} longer than
 * the session timeout; before the barrier fills, it stops counting at the same moment. Every wait
 * has a timeout variant.
 *
 * <p>Errors: {@link ZkException.SessionExpired} / {@link ZkException.Closed} when this member's
 * session ends while waiting (its node is then gone); {@link ZkException.NoNode} if its node was
 * deleted by someone else while entering. Interruption: {@link InterruptedException}; an
 * interrupted enter removes its node first.
 *
 * <p>One member: {@code enter} and {@code leave} are not meant to run at the same time on one
 * object (an {@link IllegalStateException} says so); after a leave, the object may enter again.
 */
public final class DoubleBarrier {
    /** Curator's ready node. */
    static final String READY = "ready";

    private final ZkClient client;
    private final String path;
    private final int memberCount;
    /** This member's node while entered (or entering); null otherwise. */
    private final AtomicReference<Created> member = new AtomicReference<>();

    private DoubleBarrier(ZkClient client, String path, int memberCount) {
        this.client = Objects.requireNonNull(client, "client");
        this.path = Names.checkRecipePath(path);
        if (memberCount < 1) {
            throw new IllegalArgumentException("memberCount must be positive: " + memberCount);
        }
        this.memberCount = memberCount;
    }

    /**
     * A member of the double barrier at {@code path} that opens at {@code memberCount} members.
     *
     * @throws IllegalArgumentException for a malformed path or a count below 1
     */
    public static DoubleBarrier of(ZkClient client, String path, int memberCount) {
        return new DoubleBarrier(client, path, memberCount);
    }

    /** The barrier's path. */
    public String path() {
        return path;
    }

    /** Blocks until the barrier opens; see {@link #enter(Duration)}. */
    public void enter() throws InterruptedException {
        enterUntil(Deadlines.NONE);
    }

    /**
     * Joins the barrier and blocks until {@code memberCount} members have entered, or the timeout
     * passes (this member's node is then removed, and it no longer counts).
     *
     * @return true if the barrier opened, false if the timeout passed first
     * @throws IllegalStateException if this member has entered and not left
     * @throws InterruptedException if interrupted (its node is removed first)
     */
    public boolean enter(Duration timeout) throws InterruptedException {
        return enterUntil(Deadlines.after(Objects.requireNonNull(timeout, "timeout")));
    }

    private boolean enterUntil(long deadline) throws InterruptedException {
        String node = Names.child(path, UUID.randomUUID().toString());
        Created created = createMember(node);
        if (!member.compareAndSet(null, created)) {
            Cleanup.removeNode(client, node, created.stat().ephemeralOwner(), Duration.ZERO);
            throw new IllegalStateException("this member of " + path + " has entered and not left");
        }
        boolean opened = false;
        try {
            opened = awaitOpen(created, deadline);
            return opened;
        } catch (ZkException.Interrupted e) {
            throw Failures.interrupted("entering " + path, e);
        } finally {
            if (!opened) {
                member.set(null);
                Cleanup.removeNode(client, node, created.stat().ephemeralOwner(), Duration.ZERO);
            }
        }
    }

    /** Creates this member's node; a create whose reply was lost is settled by the node's owner. */
    private Created createMember(String node) {
        for (int attempt = 0; ; attempt++) {
            try {
                return Parents.create(client, node, null, CreateOptions.ephemeral());
            } catch (ZkException.NodeExists e) {
                Optional<Stat> stat = client.exists(node);
                if (stat.isPresent() && stat.get().ephemeralOwner() == client.sessionId()) {
                    return new Created(node, stat.get()); // an earlier attempt of ours landed
                }
                throw e; // a UUID nobody else uses, owned by another session: not ours to take
            } catch (ZkException e) {
                if (!Failures.isTransient(e) || attempt >= 5) {
                    if (e.mayHaveBeenApplied()) {
                        // a node of ours may have landed: it must not count as a member
                        Cleanup.removeNode(client, node, client.sessionId(), Duration.ZERO);
                    }
                    throw e;
                }
            }
        }
    }

    private boolean awaitOpen(Created me, long deadline) throws InterruptedException {
        String myName = Names.name(me.path());
        long myZxid = me.stat().czxid();
        while (true) {
            if (!Deadlines.awaitConnected(client, deadline)) {
                return false;
            }
            Watched<Children> read;
            try {
                read = client.getChildrenAndWatch(path);
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
            List<String> members = members(read.value().names());
            if (!members.contains(myName)) {
                watch.cancel();
                throw new ZkException.NoNode(me.path()); // deleted by someone else
            }
            boolean open;
            try {
                open = members.size() >= memberCount
                        || (read.value().names().contains(READY) && roundUnderWay(members, myName, myZxid));
            } catch (ZkException e) {
                watch.cancel();
                if (!Failures.isTransient(e)) {
                    throw e;
                }
                continue;
            }
            if (open) {
                watch.cancel();
                if (members.size() >= memberCount) {
                    try {
                        markReady(members);
                    } catch (ZkException e) {
                        if (!Failures.isTransient(e)) {
                            throw e;
                        }
                        // the members that count for themselves open anyway; the ready node is for
                        // late members and Curator members, and another member's listing creates it
                    }
                }
                return true;
            }
            if (!Waits.await(watch, deadline)) {
                return false;
            }
        }
    }

    /**
     * Creates the ready node for a round this member counted full. A ready node older than every
     * member is a dead round's: it is replaced, so that members arriving late (and Curator members)
     * see one that belongs to this round.
     */
    private void markReady(List<String> members) {
        String ready = Names.child(path, READY);
        try {
            client.create(ready, null, CreateOptions.persistent());
            return;
        } catch (ZkException.NodeExists e) {
            // this round's, or a dead round's: look
        }
        Optional<Stat> stat = client.exists(ready);
        if (stat.isEmpty()) {
            return; // removed meanwhile by a leaver of an earlier round; the next listing recreates it
        }
        for (String m : members) {
            Optional<Stat> member = client.exists(Names.child(path, m));
            if (member.isPresent() && member.get().czxid() < stat.get().czxid()) {
                return; // newer than a member of this round: this round's
            }
        }
        try {
            client.delete(ready, stat.get().version());
        } catch (ZkException.NoNode | ZkException.BadVersion e) {
            // replaced by another member of this round
        }
        try {
            client.create(ready, null, CreateOptions.persistent());
        } catch (ZkException.NodeExists e) {
            // created by another member of this round
        }
    }

    /**
     * Whether the {@code ready} node belongs to a round this member may join: it was created after
     * this member joined, or some other member still present was created before it (a round under
     * way). A ready node older than every member is a dead round's.
     */
    private boolean roundUnderWay(List<String> members, String myName, long myZxid) {
        Optional<Stat> ready = client.exists(Names.child(path, READY));
        if (ready.isEmpty()) {
            return false;
        }
        long readyZxid = ready.get().czxid();
        if (readyZxid > myZxid) {
            return true; // made after this member joined, by one who counted a full round
        }
        for (String m : members) {
            if (m.equals(myName)) {
                continue;
            }
            Optional<Stat> stat = client.exists(Names.child(path, m));
            if (stat.isPresent() && stat.get().czxid() < readyZxid) {
                return true;
            }
        }
        return false;
    }

    private static List<String> members(List<String> children) {
        List<String> members = new ArrayList<>(children.size());
        for (String c : children) {
            if (!c.equals(READY)) {
                members.add(c);
            }
        }
        return members;
    }

    /** Leaves and blocks until every member has left; see {@link #leave(Duration)}. */
    public void leave() throws InterruptedException {
        leaveUntil(Deadlines.NONE);
    }

    /**
     * Removes this member's node and blocks until no member node is left (a dead member's node goes
     * with its session), or the timeout passes. The last to see the barrier empty removes
     * {@code ready}. Once this returns, or throws, this member has left either way.
     *
     * @return true if every member has left, false if the timeout passed first
     * @throws IllegalStateException if this member has not entered
     * @throws InterruptedException if interrupted while waiting (its node is already removed)
     */
    public boolean leave(Duration timeout) throws InterruptedException {
        return leaveUntil(Deadlines.after(Objects.requireNonNull(timeout, "timeout")));
    }

    private boolean leaveUntil(long deadline) throws InterruptedException {
        Created me = member.getAndSet(null);
        if (me == null) {
            throw new IllegalStateException("this member of " + path + " has not entered");
        }
        Cleanup.removeNode(client, me.path(), me.stat().ephemeralOwner(), client.negotiatedSessionTimeout());
        while (true) {
            if (!Deadlines.awaitConnected(client, deadline)) {
                return false;
            }
            Watched<Children> read;
            try {
                read = client.getChildrenAndWatch(path);
            } catch (ZkException.NoNode e) {
                return true; // the container went: nobody is left
            } catch (ZkException.Interrupted e) {
                throw Failures.interrupted("leaving " + path, e);
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
            if (members(read.value().names()).isEmpty()) {
                watch.cancel();
                try {
                    client.delete(Names.child(path, READY), -1);
                } catch (ZkException.NoNode e) {
                    // another leaver removed it
                } catch (ZkException e) {
                    if (!Failures.isTransient(e)) {
                        throw e;
                    }
                }
                return true;
            }
            if (!Waits.await(watch, deadline)) {
                return false;
            }
        }
    }

    /** Whether this member has entered and not left. */
    public boolean isEntered() {
        return member.get() != null;
    }

    @Override
    public String toString() {
        return "DoubleBarrier[" + path + ", " + memberCount + " members]";
    }
}
