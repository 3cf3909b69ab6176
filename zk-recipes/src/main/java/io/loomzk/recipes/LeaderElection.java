package io.loomzk.recipes;

import io.loomzk.client.NodeData;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Leader election among processes: one {@code LeaderElection} per participant, with an id the
 * others can see. {@link #awaitLeadership()} blocks until this participant leads and returns a
 * {@link Leadership}, valid until lost or closed.
 *
 * <pre>{@code
 * LeaderElection election = LeaderElection.of(zk, "/services/indexer/leader", "host-a:8080");
 * while (running) {
 *     try (Leadership leadership = election.awaitLeadership()) {
 *         runAsLeader(leadership);             // checks leadership.isValid() as it goes
 *         leadership.awaitLoss();
 *     }
 * }
 * }</pre>
 *
 * <h2>Interoperability</h2>
 * Participants create {@code _c_<uuid>-latch-<sequence>} nodes holding their id, exactly as Apache
 * Curator's {@code LeaderLatch} does, and are ordered the same way, so LoomZK and Curator
 * participants can share one election; {@link #participants()} sees both.
 *
 * <h2>How it decides</h2>
 * The participant with the first node leads. Each participant waits only on the node just ahead
 * of it, so a relinquished leadership passes to the next participant as soon as the deletion
 * reaches it. Before it claims leadership, a participant reads its own node back and requires it
 * to belong to the client's current session, so no reconnect or session change in between can
 * make it claim a place it no longer has; after it leads, its {@link Leadership} re-verifies that
 * after every reconnect.
 *
 * <p>Instances are thread-safe. A participant stands once at a time: call
 * {@link #awaitLeadership()} again only after the previous call returned and its leadership ended.
 */
public final class LeaderElection {
    /** Curator's {@code LeaderLatch} node name. */
    static final String LATCH_NAME = "latch-";

    private final ZkClient client;
    private final String path;
    private final String participantId;
    private final byte[] idBytes;
    private final Contention contention;
    private final AtomicBoolean standing = new AtomicBoolean();
    private final LeasePolicy policy;

    private LeaderElection(ZkClient client, String path, String participantId, LeasePolicy policy) {
        this.client = Objects.requireNonNull(client, "client");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.path = Names.checkRecipePath(path);
        this.participantId = Objects.requireNonNull(participantId, "participantId");
        this.idBytes = participantId.getBytes(StandardCharsets.UTF_8);
        this.contention = new Contention(client, path, LATCH_NAME);
    }

    /**
     * A participant {@code participantId} of the election at {@code path} (created on first use, as
     * a container node, with any missing ancestors). Nothing is sent until it stands.
     *
     * @throws IllegalArgumentException if the path is not absolute, is the root, or has an empty segment
     */
    public static LeaderElection of(ZkClient client, String path, String participantId) {
        return new LeaderElection(client, path, participantId, LeasePolicy.SESSION);
    }

    /**
     * As {@link #of(ZkClient, String, String)}, with leaderships trusted through connection trouble
     * as {@code policy} says.
     */
    public static LeaderElection of(ZkClient client, String path, String participantId, LeasePolicy policy) {
        return new LeaderElection(client, path, participantId, policy);
    }

    /** The election's path. */
    public String path() {
        return path;
    }

    /** This participant's id. */
    public String participantId() {
        return participantId;
    }

    /** The client this participant stands with. */
    ZkClient client() {
        return client;
    }

    /**
     * Stands for election and blocks until this participant leads.
     *
     * <h4>Notable errors</h4>
     * {@link IllegalStateException} if this participant is already standing or leading;
     * {@link ZkException.SessionExpired} or {@link ZkException.Closed} if the session ends while
     * waiting; {@link ZkException.ConnectionLoss} if creating its node kept failing beyond
     * {@link ProtectedCreate}'s retry budget; {@link ZkException.NoNode} if its node kept being
     * deleted by someone else (three times).
     *
     * <h4>Interruption</h4>
     * {@link InterruptedException} (the interrupt status cleared); its node is removed first, or,
     * if ZooKeeper cannot be reached at that moment, by a background thread as soon as it can (or
     * with the session).
     *
     * <h4>After a connection loss</h4>
     * Waiting goes on across reconnects. A create whose reply was lost is settled by
     * {@link ProtectedCreate}. Leadership is claimed when a listing shows its node first and the
     * node was created by the client's current session.
     *
     * @return the leadership, valid when returned
     */
    public Leadership awaitLeadership() throws InterruptedException {
        return stand(Deadlines.NONE).orElseThrow();
    }

    /**
     * Stands for election and blocks until this participant leads or the timeout passes.
     *
     * <h4>Notable errors</h4>
     * As {@link #awaitLeadership()}.
     *
     * <h4>Interruption and timeout</h4>
     * Interrupted: as {@link #awaitLeadership()}. Timed out: empty, and its node is removed, so this
     * participant no longer stands. A ZooKeeper call under way when the timeout passes still takes up
     * to the client's request timeout.
     *
     * <h4>After a connection loss</h4>
     * As {@link #awaitLeadership()}.
     *
     * @return the leadership, or empty if the timeout passed first
     */
    public Optional<Leadership> awaitLeadership(Duration timeout) throws InterruptedException {
        return stand(Deadlines.after(Objects.requireNonNull(timeout, "timeout")));
    }

    private Optional<Leadership> stand(long deadline) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before standing in " + path);
        }
        if (!standing.compareAndSet(false, true)) {
            throw new IllegalStateException("participant " + participantId + " already stands in " + path
                    + "; close its Leadership (or let the other call return) first");
        }
        NodeLease lease = contention.lease(idBytes, deadline, policy, () -> standing.set(false));
        return lease == null ? Optional.empty() : Optional.of(new Leadership(path, participantId, lease));
    }

    /**
     * The current leader: the participant whose node is first. For observers; the answer is stale as
     * soon as it is returned.
     *
     * @return the leader, or empty if nobody stands
     */
    public Optional<Participant> leader() {
        for (String name : contention.list()) {
            String node = Names.child(path, name);
            try {
                NodeData data = client.getData(node);
                return Optional.of(new Participant(new String(data.data(), StandardCharsets.UTF_8), node, true));
            } catch (ZkException.NoNode e) {
                // left meanwhile: the next one leads
            }
        }
        return Optional.empty();
    }

    /**
     * Every participant, in line order, the leader first: one listing, then one read per
     * participant (plain reads, which every server line serves; a multi-read would drop the
     * connection of a 3.5 server). For observers; stale as soon as returned.
     */
    public List<Participant> participants() {
        List<Participant> participants = new ArrayList<>();
        for (String name : contention.list()) {
            String node = Names.child(path, name);
            try {
                NodeData data = client.getData(node);
                participants.add(
                        new Participant(new String(data.data(), StandardCharsets.UTF_8), node, participants.isEmpty()));
            } catch (ZkException.NoNode e) {
                // left meanwhile
            }
        }
        return List.copyOf(participants);
    }

    @Override
    public String toString() {
        return "LeaderElection[" + path + ", " + participantId + "]";
    }
}
