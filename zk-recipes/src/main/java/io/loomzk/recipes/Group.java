package io.loomzk.recipes;

import io.loomzk.client.Children;
import io.loomzk.client.NodeData;
import io.loomzk.client.Watched;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Group membership: members {@link #join} with an id and data, anyone sees the {@link #members()}
 * and follows joins and leaves through {@link #changes()}.
 *
 * <pre>{@code
 * Group workers = Group.of(zk, "/services/indexer/members");
 * try (Group.Member me = workers.join("host-a", address)) {
 *     Map<String, byte[]> now = workers.members();
 *     Group.Changes changes = workers.changes();
 *     Optional<Group.Change> next = changes.next(Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <h2>Layout and interoperability</h2>
 * A member is an ephemeral node {@code <path>/<memberId>} holding its data, kept by a
 * {@link PersistentNode} (re-created after its session expires or it is deleted, until the member
 * leaves), exactly as Apache Curator's {@code GroupMember} keeps its node; LoomZK and Curator members
 * see each other. Node names with a protected prefix ({@code _c_<uuid>-<id>}) count as member
 * {@code <id>}.
 *
 * <p>Instances are immutable and thread-safe; a {@link Changes} stream is for one reader.
 */
public final class Group {
    private final ZkClient client;
    private final String path;

    private Group(ZkClient client, String path) {
        this.client = Objects.requireNonNull(client, "client");
        this.path = Names.checkRecipePath(path);
    }

    /**
     * The group at {@code path}.
     *
     * @throws IllegalArgumentException for a malformed path
     */
    public static Group of(ZkClient client, String path) {
        return new Group(client, path);
    }

    /** The group's path. */
    public String path() {
        return path;
    }

    /**
     * Joins as {@code memberId} with {@code data}. Returns at once; the node is created (and kept)
     * on a background thread: {@link Member#awaitJoined} waits for it. A second member with the same
     * id in another session waits until the first one's node goes.
     *
     * @throws IllegalArgumentException if {@code memberId} is empty, contains {@code /}, or is
     *     {@code .} or {@code ..}
     */
    public Member join(String memberId, byte[] data) {
        return join(memberId, data, false);
    }

    /**
     * As {@link #join(String, byte[])}; with {@code startNewSessions}, the member's keeper starts a
     * new session on the client after an expiry (see {@link PersistentNode.Builder#startingNewSessions()}).
     */
    public Member join(String memberId, byte[] data, boolean startNewSessions) {
        checkId(memberId);
        PersistentNode.Builder b = PersistentNode.ephemeral(client, Names.child(path, memberId), data);
        if (startNewSessions) {
            b.startingNewSessions();
        }
        return new Member(memberId, b.start());
    }

    private static void checkId(String id) {
        if (id == null || id.isEmpty() || id.contains("/") || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException("a member id is a non-empty node name without '/': \"" + id + "\"");
        }
    }

    /**
     * The members now, by id, with their data: one listing and one read per member. Stale as soon
     * as returned.
     */
    public Map<String, byte[]> members() {
        Map<String, byte[]> members = new TreeMap<>();
        List<String> names;
        try {
            names = client.getChildren(path).names();
        } catch (ZkException.NoNode e) {
            return members;
        }
        for (String name : names) {
            try {
                byte[] data = client.getData(Names.child(path, name)).data();
                members.put(memberId(name), data == null ? new byte[0] : data);
            } catch (ZkException.NoNode e) {
                // left meanwhile
            }
        }
        return members;
    }

    static String memberId(String nodeName) {
        return Names.isProtected(nodeName) ? nodeName.substring(Names.PROTECTED_PREFIX_LENGTH) : nodeName;
    }

    /**
     * A stream of joins and leaves, starting from an empty group: the first calls report every
     * current member as joined.
     */
    public Changes changes() {
        return new Changes();
    }

    /** Whether a member joined or left. */
    public enum Kind {
        JOINED,
        LEFT
    }

    /**
     * A join or a leave.
     *
     * @param kind what happened
     * @param memberId the member's id
     * @param data the member's data when it joined (empty for a leave)
     */
    public record Change(Kind kind, String memberId, byte[] data) {
        @Override
        public String toString() {
            return kind + " " + memberId + " (" + data.length + " bytes)";
        }
    }

    /**
     * Joins and leaves as they are seen, in the order seen. Each {@link #next} lists the group
     * (with a watch) only when nothing is pending, so a member that joins and leaves between two
     * listings is not reported, and one that leaves and joins again under the same id between two
     * listings is seen as staying. Changes made while disconnected are seen after the reconnect.
     * For one reader at a time.
     */
    public final class Changes {
        /** Node names seen, by member id; the reader's own. */
        private final Map<String, String> seen = new HashMap<>();
        /** Changes found and not yet returned; the reader's own. */
        private final ArrayDeque<Change> pending = new ArrayDeque<>();

        private Changes() {}

        /**
         * The next join or leave, waiting up to {@code timeout} for one.
         *
         * @return the change, or empty if the timeout passed first
         * @throws InterruptedException if interrupted while waiting
         * @throws ZkException.SessionExpired or {@link ZkException.Closed} if the session ends
         */
        public Optional<Change> next(Duration timeout) throws InterruptedException {
            long deadline = Deadlines.after(Objects.requireNonNull(timeout, "timeout"));
            while (pending.isEmpty()) {
                if (!Deadlines.awaitConnected(client, deadline)) {
                    return Optional.empty();
                }
                Watched<Children> read;
                try {
                    read = client.getChildrenAndWatch(path);
                } catch (ZkException.NoNode e) {
                    Parents.ensure(client, path);
                    continue;
                } catch (ZkException.Interrupted e) {
                    throw Failures.interrupted("watching " + path, e);
                } catch (ZkException e) {
                    if (!Failures.isTransient(e) || Deadlines.passed(deadline)) {
                        if (Failures.isTransient(e)) {
                            return Optional.empty();
                        }
                        throw e;
                    }
                    continue;
                }
                diff(read.value().names());
                if (!pending.isEmpty()) {
                    read.watch().cancel();
                    break;
                }
                if (!Waits.await(read.watch(), deadline)) {
                    return Optional.empty();
                }
            }
            return Optional.of(pending.poll());
        }

        private void diff(List<String> names) {
            Set<String> now = new HashSet<>();
            for (String name : names) {
                String id = memberId(name);
                now.add(id);
                if (!name.equals(seen.get(id))) {
                    if (seen.containsKey(id)) {
                        pending.add(new Change(Kind.LEFT, id, new byte[0]));
                    }
                    try {
                        NodeData data = client.getData(Names.child(path, name));
                        seen.put(id, name);
                        pending.add(new Change(Kind.JOINED, id, data.data() == null ? new byte[0] : data.data()));
                    } catch (ZkException.NoNode e) {
                        seen.remove(id);
                        now.remove(id); // joined and left already
                    }
                }
            }
            seen.keySet().removeIf(id -> {
                if (!now.contains(id)) {
                    pending.add(new Change(Kind.LEFT, id, new byte[0]));
                    return true;
                }
                return false;
            });
        }
    }

    /**
     * This process's membership: its node is kept until {@link #close()} (leave). Any thread may
     * close it.
     */
    public static final class Member implements AutoCloseable {
        private final String memberId;
        private final PersistentNode node;

        private Member(String memberId, PersistentNode node) {
            this.memberId = memberId;
            this.node = node;
        }

        /** This member's id. */
        public String memberId() {
            return memberId;
        }

        /**
         * Blocks until this member's node exists (or the timeout passes).
         *
         * @throws InterruptedException if interrupted while waiting
         */
        public boolean awaitJoined(Duration timeout) throws InterruptedException {
            return node.awaitCreated(timeout);
        }

        /** Whether the node exists as far as this client knows; never blocks. */
        public boolean isJoined() {
            return node.current().isPresent();
        }

        /** Changes this member's data (now, and on every re-creation). */
        public void setData(byte[] data) {
            node.setData(data);
        }

        /** Leaves: stops keeping the node and deletes it; see {@link PersistentNode#close()}. */
        @Override
        public void close() {
            node.close();
        }

        @Override
        public String toString() {
            return "Group.Member[" + memberId + ", " + node.path() + "]";
        }
    }

    @Override
    public String toString() {
        return "Group[" + path + "]";
    }
}
