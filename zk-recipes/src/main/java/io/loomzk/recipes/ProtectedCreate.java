package io.loomzk.recipes;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.Created;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.protocol.Stat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Creates a node whose outcome is never in doubt: the node's name carries a random id
 * ({@code _c_<uuid>-<name>}, exactly as Apache Curator's "protection" names it), so when a create's
 * reply is lost the node can be found again by that id.
 *
 * <pre>{@code
 * Created node = ProtectedCreate.on(zk).creatingParentContainers()
 *         .create("/workers/worker-", data, CreateOptions.ephemeralSequential());
 * // node.path() is e.g. /workers/_c_1b4e28ba-2fa1-11d2-883f-0016d3cca427-worker-0000000007
 * }</pre>
 *
 * <h2>What it guarantees</h2>
 * When a create fails and {@link ZkException#mayHaveBeenApplied()} says the server may have applied
 * it, this recipe first makes the connected server catch up with the leader ({@code sync}), then
 * lists the parent and looks for its id. Because ZooKeeper applies a session's requests in order
 * and refuses requests from a connection the session has left, after the sync the listing shows
 * every node the lost request can ever produce. So:
 * <ul>
 *   <li>If the node is there and, for an ephemeral mode, its {@code ephemeralOwner} is this
 *       client's current session, it is returned as if the create had succeeded.
 *   <li>A node with the id that belongs to another session (an earlier session of this client that
 *       expired in between) is never returned: it is deleted.
 *   <li>If the node is not there, the create is sent again, with the same id, within the retry
 *       budget. There is never more than one node with the id; should the search find several, it
 *       keeps the first and deletes the others.
 * </ul>
 * When it gives up (budget spent, interrupted), it throws, and no node of this call survives: any
 * node that may have been created is deleted before it throws, or, if ZooKeeper cannot be reached,
 * by a background thread ({@code zk-job-cleanup-*}, a job the client owns and its {@code close()} joins) as soon as it can, or with its session.
 *
 * <p>One case is beyond repair: a <em>persistent</em> protected create whose outcome is unknown
 * when the session ends ({@link ZkException#isTerminal()}). The node may exist, and nobody can look.
 * Its name still carries the id ({@link #protectedId(String)}), for an operator to find.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ProtectedCreate {
    private static final int DEFAULT_RETRIES = 5;
    private static final int MAX_PARENT_ROUNDS = 3;

    private final ZkClient client;
    private final int maxRetries;
    private final boolean createParents;

    private ProtectedCreate(ZkClient client, int maxRetries, boolean createParents) {
        this.client = Objects.requireNonNull(client, "client");
        this.maxRetries = maxRetries;
        this.createParents = createParents;
    }

    /** Protected creates on {@code client}: 5 retries, parents must exist. */
    public static ProtectedCreate on(ZkClient client) {
        return new ProtectedCreate(client, DEFAULT_RETRIES, false);
    }

    /**
     * The same, but creating missing ancestors as container nodes (which the server deletes once
     * they have had children and have none left), as Curator's
     * {@code creatingParentContainersIfNeeded} does.
     */
    public ProtectedCreate creatingParentContainers() {
        return new ProtectedCreate(client, maxRetries, true);
    }

    /**
     * The same, with another retry budget: how many failed calls (lost connections, timeouts) one
     * {@link #create} absorbs before it gives up. Each call waits at most the client's request
     * timeout.
     */
    public ProtectedCreate withRetries(int maxRetries) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        }
        return new ProtectedCreate(client, maxRetries, createParents);
    }

    /**
     * Creates {@code parent/_c_<uuid>-<name>} for {@code path = parent/name} (for sequential modes
     * the server appends the sequence number after {@code name}, which may be empty).
     *
     * <h4>Notable errors</h4>
     * {@link ZkException.NoNode} if the parent is missing (and parents are not created);
     * {@link ZkException.ConnectionLoss} or {@link ZkException.RequestTimeout} when the retry budget
     * is spent; {@link ZkException.SessionExpired} / {@link ZkException.Closed} when the session ends;
     * {@link IllegalArgumentException} for a malformed path.
     *
     * <h4>Interruption</h4>
     * Like every client call: {@link ZkException.Interrupted} with the interrupt flag still set,
     * after removing any node this call may have created.
     *
     * <h4>After a connection loss</h4>
     * The outcome is settled as described above: the returned node is this session's and the only
     * one with its id; on an exception, none survives.
     *
     * @return the node's path (chroot-relative, with its sequence suffix) and stat
     */
    public Created create(String path, byte[] data, CreateOptions options) {
        return create(path, data, options, Deadlines.NONE);
    }

    /**
     * As {@link #create(String, byte[], CreateOptions)}, but retrying only until {@code deadline}
     * (a {@link System#nanoTime()} value or {@link Deadlines#NONE}).
     */
    Created create(String path, byte[] data, CreateOptions options, long deadline) {
        return create(path, data, options, deadline, UUID.randomUUID().toString());
    }

    /** As {@link #create(String, byte[], CreateOptions, long)}, with a given protected id (tests). */
    Created create(String path, byte[] data, CreateOptions options, long deadline, String id) {
        Objects.requireNonNull(options, "options");
        checkPath(path, options);
        String parent = Names.parent(path);
        String prefix = Names.protectedPrefix(id);
        String nodePath = Names.child(parent, prefix + Names.name(path));
        boolean ephemeral = options.mode().isEphemeral();
        int failures = 0;
        int parentRounds = 0;
        boolean unknown = false; // a create may have been applied and has not been found since
        while (true) {
            ZkException failure;
            try {
                if (unknown) {
                    Optional<Created> found = settle(parent, prefix, ephemeral, true);
                    if (found.isPresent()) {
                        return found.get();
                    }
                    unknown = false; // decisive: no node with our id exists, so creating again is safe
                }
                return client.create(nodePath, data, options);
            } catch (ZkException.NoNode e) {
                if (!createParents || ++parentRounds > MAX_PARENT_ROUNDS) {
                    throw abandon(e, parent, prefix, ephemeral, unknown);
                }
                try {
                    createContainers(parent);
                    continue;
                } catch (ZkException f) {
                    failure = f;
                }
            } catch (ZkException.NodeExists e) {
                // a non-sequential name only we use: an earlier attempt of ours landed after all
                failure = e;
                unknown = true;
            } catch (ZkException e) {
                failure = e;
            }
            unknown |= failure.mayHaveBeenApplied();
            if (failure.isTerminal()) {
                throw failure; // the session is over: its ephemeral nodes are gone, and nothing can look
            }
            boolean retry = Failures.isTransient(failure) || failure instanceof ZkException.NodeExists;
            if (!retry || ++failures > maxRetries || Deadlines.passed(deadline)) {
                throw abandon(failure, parent, prefix, ephemeral, unknown);
            }
            if (!awaitConnected(deadline)) {
                throw abandon(failure, parent, prefix, ephemeral, unknown); // still down at the deadline
            }
        }
    }

    /** {@link Deadlines#awaitConnected}; an interrupt is kept for the next call to report. */
    private boolean awaitConnected(long deadline) {
        try {
            return Deadlines.awaitConnected(client, deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static void checkPath(String path, CreateOptions options) {
        if (path == null) {
            throw new IllegalArgumentException("path must not be null");
        }
        boolean sequentialPrefix = path.endsWith("/") && options.mode().isSequential();
        Names.checkRecipePath(sequentialPrefix ? path + "n" : path);
    }

    /**
     * Gives up: removes whatever this call may have created (one attempt on this thread, then in
     * the background until it succeeds or the session ends) and returns the exception to throw.
     */
    private ZkException abandon(ZkException e, String parent, String prefix, boolean ephemeral, boolean unknown) {
        if (unknown) {
            Cleanup.run(
                    client,
                    prefix + "*",
                    deadline -> {
                        try {
                            settle(parent, prefix, ephemeral, false);
                            return true;
                        } catch (ZkException f) {
                            if (f instanceof ZkException.Interrupted) {
                                Thread.interrupted();
                                return false; // try again in the background
                            }
                            return !Failures.isTransient(f); // terminal: gone with the session; else: cannot
                        }
                    },
                    Duration.ZERO);
        }
        return e;
    }

    /**
     * After a sync, finds the nodes named with {@code prefix} under {@code parent}. With
     * {@code adopt}, keeps and returns the first that is this session's (any, for a non-ephemeral
     * mode); deletes every other one.
     */
    private Optional<Created> settle(String parent, String prefix, boolean ephemeral, boolean adopt) {
        List<String> names;
        try {
            client.sync(parent);
            names = client.getChildren(parent).names();
        } catch (ZkException.NoNode e) {
            return Optional.empty(); // no parent, so no node of ours
        }
        List<String> ours = new ArrayList<>(1);
        for (String name : names) {
            if (name.startsWith(prefix)) {
                ours.add(name);
            }
        }
        ours.sort(null);
        Created kept = null;
        for (String name : ours) {
            String path = Names.child(parent, name);
            Optional<Stat> stat = client.exists(path);
            if (stat.isEmpty()) {
                continue;
            }
            boolean mine = !ephemeral || stat.get().ephemeralOwner() == client.sessionId();
            if (adopt && mine && kept == null) {
                kept = new Created(path, stat.get());
                continue;
            }
            try {
                client.delete(path, -1);
            } catch (ZkException.NoNode gone) {
                // vanished meanwhile (its session ended): fine
            }
        }
        return Optional.ofNullable(kept);
    }

    /** Creates every missing ancestor of {@code path}, and {@code path} itself, as containers. */
    private void createContainers(String path) {
        List<String> missing = new ArrayList<>();
        for (String p = path; !p.equals("/"); p = Names.parent(p)) {
            missing.add(0, p);
        }
        for (String p : missing) {
            try {
                client.create(p, null, CreateOptions.container());
            } catch (ZkException.NodeExists e) {
                // there already
            } catch (ZkException.Unimplemented e) {
                client.createIfAbsent(p, null, CreateOptions.persistent()); // a server without containers
            }
        }
    }

    /**
     * Whether a node name carries a protected prefix, {@code _c_<36-character id>-}, as this recipe
     * and Curator's protected creates write it.
     */
    public static boolean isProtected(String nodeName) {
        return Names.isProtected(Objects.requireNonNull(nodeName, "nodeName"));
    }

    /** The protected id in a node name (the UUID between {@code _c_} and {@code -}), if it has one. */
    public static Optional<String> protectedId(String nodeName) {
        return Names.protectedId(Objects.requireNonNull(nodeName, "nodeName"));
    }
}
