package io.loomzk.recipes;

import io.loomzk.client.Children;
import io.loomzk.client.CreateOptions;
import io.loomzk.client.Created;
import io.loomzk.client.NodeData;
import io.loomzk.client.OneShotWatch;
import io.loomzk.client.Op;
import io.loomzk.client.Watched;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.protocol.Stat;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A FIFO queue of byte arrays in ZooKeeper: items are persistent sequential nodes
 * {@code <path>/qn-<sequence>}, taken in sequence order. Two ways to consume, with different
 * guarantees; use one of them per queue.
 *
 * <pre>{@code
 * ZkQueue queue = ZkQueue.of(zk, "/queues/emails");
 * queue.offer(message);
 * Optional<ZkQueue.Delivery> next = queue.claim(Duration.ofSeconds(30));
 * if (next.isPresent()) {
 *     try (ZkQueue.Delivery d = next.get()) {      // closing without ack gives the item back
 *         send(d.data());
 *         d.ack();
 *     }
 * }
 * }</pre>
 *
 * <h2>At most once: {@link #take}</h2>
 * A consumer reads the head item and deletes it; the one whose delete succeeds gets it. An item is
 * never handed to two consumers. It is lost if its consumer dies after the delete, and when the
 * delete's reply is lost (the item may be gone, and this consumer cannot know that it was the one
 * who deleted it, so it does not return it). The layout and this protocol are Apache Curator's
 * {@code SimpleDistributedQueue}'s, so LoomZK and Curator producers and consumers can share such a
 * queue.
 *
 * <h2>Exactly-once acknowledgement: {@link #claim} and {@link Delivery#ack}</h2>
 * A consumer claims the head item that nobody has claimed, by creating an ephemeral node
 * {@code <path>-claims/qn-<sequence>} (a create only one consumer can win), and processes it. Its
 * {@link Delivery#ack} deletes the claim and the item in one transaction, together with any writes
 * passed to it. Guarantees:
 * <ul>
 *   <li>An item is acknowledged at most once, ever: every acknowledgement deletes the item, and
 *       ZooKeeper deletes a node once. Writes passed to {@link Delivery#ack(List)} are applied
 *       exactly when the acknowledgement is, so they happen once per item.
 *   <li>An item is not lost: it stays in the queue until acknowledged. If its consumer dies (its
 *       session ends), the claim goes with the session and the item is handed out again, ahead of
 *       newer items. {@link Delivery#close()} without an ack gives it back at once.
 *   <li>While a claim's session lives, nobody else is handed the item. Processing itself is
 *       therefore at least once: a consumer whose session ended while processing may have done
 *       work that another consumer does again; only its acknowledgement is refused.
 * </ul>
 * Consumers of one queue must all use {@code claim} (a {@code take} or a Curator consumer
 * ignores claims). Producers may be anything that creates {@code qn-} sequential nodes.
 *
 * <h2>Producing</h2>
 * {@link #offer} creates one node. If its reply is lost ({@link ZkException#mayHaveBeenApplied()}),
 * the item may or may not be in the queue; offering again may queue it twice.
 *
 * <p>Instances are immutable and thread-safe; many threads may consume through one.
 */
public final class ZkQueue {
    /** Curator's {@code SimpleDistributedQueue} item prefix. */
    static final String PREFIX = "qn-";

    private final ZkClient client;
    private final String path;
    private final String claims;
    private final byte[] consumerId;

    private ZkQueue(ZkClient client, String path, String consumerId) {
        this.client = Objects.requireNonNull(client, "client");
        this.path = Names.checkRecipePath(path);
        this.claims = path + "-claims";
        this.consumerId = Objects.requireNonNull(consumerId, "consumerId").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The queue at {@code path}; claims (by {@link #claim}) go under {@code <path>-claims}. Missing
     * ancestors are created as container nodes.
     *
     * @throws IllegalArgumentException for a malformed path
     */
    public static ZkQueue of(ZkClient client, String path) {
        return new ZkQueue(client, path, "");
    }

    /** The same queue, with {@code consumerId} stored in this consumer's claim nodes, for operators. */
    public ZkQueue withConsumerId(String consumerId) {
        return new ZkQueue(client, path, consumerId);
    }

    /** The queue's path. */
    public String path() {
        return path;
    }

    /**
     * Appends an item (one create).
     *
     * @return the item's node name ({@code qn-<sequence>})
     * @throws ZkException.ConnectionLoss if the reply was lost; see the class comment
     */
    public String offer(byte[] data) {
        Created created = Parents.create(client, Names.child(path, PREFIX), data, CreateOptions.persistentSequential());
        return Names.name(created.path());
    }

    /** The items' names in queue order (claimed ones included); stale as soon as returned. */
    public List<String> items() {
        try {
            return sorted(client.getChildren(path).names());
        } catch (ZkException.NoNode e) {
            return List.of();
        }
    }

    /**
     * Takes the head item, at most once (see the class comment), waiting up to {@code timeout} for
     * one to arrive.
     *
     * @return its data, or empty if the timeout passed with the queue empty
     * @throws InterruptedException if interrupted while waiting
     * @throws ZkException.SessionExpired or {@link ZkException.Closed} if the session ends
     */
    public Optional<byte[]> take(Duration timeout) throws InterruptedException {
        long deadline = Deadlines.after(Objects.requireNonNull(timeout, "timeout"));
        while (true) {
            if (!Deadlines.awaitConnected(client, deadline)) {
                return Optional.empty();
            }
            Watched<Children> read;
            try {
                read = listAndWatch(path);
            } catch (ZkException e) {
                if (retryable(e, deadline)) {
                    continue;
                }
                return Optional.empty();
            }
            OneShotWatch watch = read.watch();
            for (String item : sorted(read.value().names())) {
                Optional<byte[]> taken = tryTake(Names.child(path, item));
                if (taken.isPresent()) {
                    watch.cancel();
                    return taken;
                }
            }
            if (!Waits.await(watch, deadline)) {
                return Optional.empty();
            }
        }
    }

    /** Reads and deletes an item; empty if someone else deleted it first or the outcome is unknown. */
    private Optional<byte[]> tryTake(String item) {
        try {
            byte[] data = client.getData(item).data();
            client.delete(item, -1);
            return Optional.of(data == null ? new byte[0] : data);
        } catch (ZkException.NoNode | ZkException.NotEmpty e) {
            return Optional.empty();
        } catch (ZkException e) {
            if (Failures.isTransient(e)) {
                return Optional.empty(); // a lost delete: at most once, so the item is not returned
            }
            throw e;
        }
    }

    /**
     * Claims the head item nobody has claimed, waiting up to {@code timeout} for one (new items,
     * and items whose consumer died or gave them back, both wake it).
     *
     * @return the delivery, to acknowledge or give back; empty if the timeout passed first
     * @throws InterruptedException if interrupted while waiting (no claim is left behind)
     * @throws ZkException.SessionExpired or {@link ZkException.Closed} if the session ends
     */
    public Optional<Delivery> claim(Duration timeout) throws InterruptedException {
        long deadline = Deadlines.after(Objects.requireNonNull(timeout, "timeout"));
        while (true) {
            if (!Deadlines.awaitConnected(client, deadline)) {
                return Optional.empty();
            }
            Watched<Children> items;
            Watched<Children> claimed;
            try {
                items = listAndWatch(path);
            } catch (ZkException e) {
                if (retryable(e, deadline)) {
                    continue;
                }
                return Optional.empty();
            }
            try {
                claimed = listAndWatch(claims);
            } catch (ZkException e) {
                items.watch().cancel();
                if (retryable(e, deadline)) {
                    continue;
                }
                return Optional.empty();
            }
            Set<String> taken = new HashSet<>(claimed.value().names());
            Delivery delivery = null;
            try {
                for (String item : sorted(items.value().names())) {
                    if (!taken.contains(item)) {
                        delivery = tryClaim(item);
                        if (delivery != null) {
                            return Optional.of(delivery);
                        }
                    }
                }
            } catch (ZkException.Interrupted e) {
                items.watch().cancel();
                claimed.watch().cancel();
                throw Failures.interrupted("claiming from " + path, e);
            } catch (ZkException e) {
                items.watch().cancel();
                claimed.watch().cancel();
                if (!Failures.isTransient(e)) {
                    throw e;
                }
                continue; // look again
            } finally {
                if (delivery != null) {
                    items.watch().cancel();
                    claimed.watch().cancel();
                }
            }
            if (!Waits.awaitAny(items.watch(), claimed.watch(), deadline)) {
                return Optional.empty();
            }
        }
    }

    /** Claims one item; null if someone else holds it or it is gone. */
    private Delivery tryClaim(String item) {
        String claim = Names.child(claims, item);
        Created created;
        try {
            created = Parents.create(client, claim, consumerId, CreateOptions.ephemeral());
        } catch (ZkException.NodeExists e) {
            Optional<Stat> stat = client.exists(claim);
            if (stat.isEmpty() || stat.get().ephemeralOwner() != client.sessionId()) {
                return null; // another consumer's (or already given back)
            }
            created = new Created(claim, stat.get()); // our own create, whose reply was lost
        } catch (ZkException.Interrupted e) {
            Cleanup.removeNode(client, claim, client.sessionId(), Duration.ZERO); // ours, if it landed
            throw e;
        } catch (ZkException e) {
            if (!e.mayHaveBeenApplied() || e.isTerminal()) {
                throw e;
            }
            Optional<Stat> stat = settleClaim(claim);
            if (stat.isEmpty()) {
                return null;
            }
            created = new Created(claim, stat.get());
        }
        long owner = created.stat().ephemeralOwner();
        NodeData data;
        try {
            data = client.getData(Names.child(path, item));
        } catch (ZkException.NoNode e) {
            // acknowledged by its previous claimer between our two listings: not an item any more
            Cleanup.removeNode(client, claim, owner, client.negotiatedSessionTimeout());
            return null;
        } catch (ZkException e) {
            Cleanup.removeNode(client, claim, owner, Duration.ZERO);
            throw e;
        }
        return new Delivery(item, data.data() == null ? new byte[0] : data.data(), claim, owner);
    }

    /** After a create whose reply was lost: the claim, if it exists and is this session's. */
    private Optional<Stat> settleClaim(String claim) {
        for (int attempt = 0; ; attempt++) {
            try {
                client.sync(claims);
                Optional<Stat> stat = client.exists(claim);
                return stat.filter(s -> s.ephemeralOwner() == client.sessionId());
            } catch (ZkException e) {
                if (!Failures.isTransient(e) || attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    private Watched<Children> listAndWatch(String dir) {
        try {
            return client.getChildrenAndWatch(dir);
        } catch (ZkException.NoNode e) {
            Parents.ensure(client, dir);
            return client.getChildrenAndWatch(dir);
        }
    }

    /** Whether to look again after a failed listing; throws what is not transient. */
    private static boolean retryable(ZkException e, long deadline) {
        if (e instanceof ZkException.NoNode) {
            return !Deadlines.passed(deadline); // the container went between ensure and list
        }
        if (!Failures.isTransient(e)) {
            throw e;
        }
        return !Deadlines.passed(deadline);
    }

    private static List<String> sorted(List<String> children) {
        List<String> items = new ArrayList<>(children.size());
        for (String c : children) {
            if (c.startsWith(PREFIX)) {
                items.add(c);
            }
        }
        items.sort(null); // qn-<ten digits>: name order is sequence order
        return items;
    }

    /**
     * A claimed item: process it, then {@link #ack()} it, or {@link #close()} to give it back. Any
     * thread may call these; the first of {@code ack} or {@code close} decides.
     */
    public final class Delivery implements AutoCloseable {
        private final String item;
        private final byte[] data;
        private final String claim;
        private final long owner;
        /** 0 open, 3 being acknowledged, 1 acknowledged, 2 given back or lost; left 0 only by a compare-and-set. */
        private final java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger();

        private Delivery(String item, byte[] data, String claim, long owner) {
            this.item = item;
            this.data = data;
            this.claim = claim;
            this.owner = owner;
        }

        /** The item's node name ({@code qn-<sequence>}). */
        public String item() {
            return item;
        }

        /** The item's data (a copy). */
        public byte[] data() {
            return data.clone();
        }

        /**
         * Whether the claim still holds as far as this client knows: its session is the client's
         * current one and not over. Never blocks; an ack can still be refused.
         */
        public boolean isHeld() {
            return state.get() == 0
                    && client.sessionId() == owner
                    && !client.state().isTerminal();
        }

        /** Acknowledges the item; see {@link #ack(List)}. */
        public boolean ack() {
            return ack(List.of());
        }

        /**
         * Acknowledges the item: deletes its claim and the item, and applies {@code ops}, in one
         * transaction. A lost reply is settled: the transaction is sent again, and a claim found
         * gone while this session lives means the first one was applied (only this consumer's ack
         * removes its claim).
         *
         * @return true if acknowledged (now or by an earlier attempt whose reply was lost); false if
         *     the claim was lost (its session ended, or it was deleted by someone else): nothing was
         *     applied, and the item goes or has gone to another consumer
         * @throws ZkException.MultiFailed if one of {@code ops} failed: nothing was applied, the item
         *     is still claimed
         * @throws ZkException with {@code mayHaveBeenApplied()} true if the outcome could not be
         *     settled (the session ended while the reply was lost)
         * @throws IllegalStateException if already acknowledged or given back
         */
        public boolean ack(List<Op> ops) {
            Objects.requireNonNull(ops, "ops");
            if (!state.compareAndSet(0, 3)) {
                throw new IllegalStateException("delivery of " + item + " already acknowledged or given back");
            }
            if (client.sessionId() != owner) {
                state.set(2);
                return false; // the claim went with its session
            }
            List<Op> all = new ArrayList<>(ops.size() + 2);
            all.add(Op.delete(claim, -1));
            all.add(Op.delete(Names.child(path, item), -1));
            all.addAll(ops);
            boolean unknown = false;
            long deadline = Deadlines.after(client.negotiatedSessionTimeout().multipliedBy(2));
            while (true) {
                try {
                    client.multi(all);
                    state.set(1);
                    return true;
                } catch (ZkException.MultiFailed e) {
                    if (e.failedIndex() == 0) {
                        state.set(unknown ? 1 : 2);
                        return unknown; // claim gone: our lost ack removed it, or we had lost it
                    }
                    state.set(0); // nothing applied; still claimed
                    throw e;
                } catch (ZkException e) {
                    if (e.isTerminal()) {
                        state.set(2);
                        if (unknown || e.mayHaveBeenApplied()) {
                            throw new ZkException.SessionExpired(item, true);
                        }
                        return false;
                    }
                    unknown |= e.mayHaveBeenApplied();
                    if (!Failures.isTransient(e) || Deadlines.passed(deadline)) {
                        state.set(0); // close() gives back the claim if it is still there
                        if (!unknown) {
                            throw e;
                        }
                        throw new ZkException.ConnectionLoss(item, true, "acknowledgement not settled", e);
                    }
                }
            }
        }

        /**
         * Gives the item back unless acknowledged: deletes the claim, so the item is handed out
         * again (ahead of newer items). Idempotent; blocks up to a session timeout, then finishes in
         * the background (or the claim goes with its session).
         */
        @Override
        public void close() {
            if (state.compareAndSet(0, 2)) {
                Cleanup.removeNode(client, claim, owner, client.negotiatedSessionTimeout());
            }
        }

        @Override
        public String toString() {
            return "Delivery[" + item + ", " + data.length + " bytes]";
        }
    }

    @Override
    public String toString() {
        return "ZkQueue[" + path + "]";
    }
}
