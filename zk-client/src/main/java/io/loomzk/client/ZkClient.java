package io.loomzk.client;

import io.loomzk.client.internal.CallEngine;
import io.loomzk.client.internal.ClientConfig;
import io.loomzk.client.internal.Errors;
import io.loomzk.client.internal.Failure;
import io.loomzk.client.internal.HostList;
import io.loomzk.client.internal.Paths;
import io.loomzk.client.internal.Session;
import io.loomzk.client.internal.TlsHandshakeFailure;
import io.loomzk.client.internal.WatchKind;
import io.loomzk.client.internal.WatchRegistration;
import io.loomzk.client.internal.Watches;
import io.loomzk.protocol.ACL;
import io.loomzk.protocol.AddWatchMode;
import io.loomzk.protocol.AddWatchRequest;
import io.loomzk.protocol.AuthPacket;
import io.loomzk.protocol.ClientInfo;
import io.loomzk.protocol.Create2Response;
import io.loomzk.protocol.CreateMode;
import io.loomzk.protocol.CreateRequest;
import io.loomzk.protocol.CreateResponse;
import io.loomzk.protocol.CreateTTLRequest;
import io.loomzk.protocol.DeleteRequest;
import io.loomzk.protocol.ErrorCode;
import io.loomzk.protocol.ErrorResponse;
import io.loomzk.protocol.EventType;
import io.loomzk.protocol.ExistsRequest;
import io.loomzk.protocol.ExistsResponse;
import io.loomzk.protocol.GetACLRequest;
import io.loomzk.protocol.GetACLResponse;
import io.loomzk.protocol.GetAllChildrenNumberRequest;
import io.loomzk.protocol.GetAllChildrenNumberResponse;
import io.loomzk.protocol.GetChildren2Request;
import io.loomzk.protocol.GetChildren2Response;
import io.loomzk.protocol.GetDataRequest;
import io.loomzk.protocol.GetEphemeralsRequest;
import io.loomzk.protocol.GetEphemeralsResponse;
import io.loomzk.protocol.MultiResponse;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.ReconfigRequest;
import io.loomzk.protocol.RemoveWatchesRequest;
import io.loomzk.protocol.ReplyReader;
import io.loomzk.protocol.Request;
import io.loomzk.protocol.SetACLRequest;
import io.loomzk.protocol.SetACLResponse;
import io.loomzk.protocol.SetDataRequest;
import io.loomzk.protocol.SetDataResponse;
import io.loomzk.protocol.Stat;
import io.loomzk.protocol.SyncRequest;
import io.loomzk.protocol.WatcherType;
import io.loomzk.protocol.WhoAmIResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A ZooKeeper client whose every call blocks the calling thread, built for virtual threads: any
 * number of threads share one session and one connection, and one reader thread per connection
 * hands each reply to the thread that asked.
 *
 * <pre>{@code
 * try (ZkClient zk = ZkClient.builder("127.0.0.1:2181/app").build()) {
 *     zk.create("/config", "v1".getBytes(), CreateOptions.persistent());
 *     Watched<NodeData> read = zk.getDataAndWatch("/config");
 *     WatchedEvent change = read.watch().await();   // blocks until /config changes
 * }
 * }</pre>
 *
 * <h2>Blocking</h2>
 * A call waits for a connection (while {@link SessionState#SUSPENDED}) and then for its reply,
 * together at most the {@linkplain ZkClientBuilder#requestTimeout request timeout} (or, with
 * {@link ZkClientBuilder#failFastWhenDisconnected}, fails at once when there is no connection). Calls from many
 * threads are pipelined on the one connection; a thread never holds a lock while it waits, so
 * nothing pins a carrier thread.
 *
 * <h2>Errors</h2>
 * Every failure is a {@link ZkException} (unchecked), created on the calling thread. A bad path
 * or an oversized request throws {@link IllegalArgumentException} before anything is sent. An
 * interrupted caller gets {@link ZkException.Interrupted} with its interrupt flag still set. A
 * reply larger than the client reads fails only its own call, with
 * {@link ZkException.ReplyTooLarge}.
 * When a connection drops, its in-flight calls fail with {@link ZkException.ConnectionLoss}
 * ({@link ZkException#mayHaveBeenApplied()} tells whether a write had been sent); nothing is
 * retried once sent.
 *
 * <h2>Paths</h2>
 * All paths are relative to the connect string's chroot, in arguments, results and events.
 */
public final class ZkClient implements AutoCloseable {
    private static final String CONFIG_NODE = "/zookeeper/config";
    private static final long CLOSE_WAIT_NANOS = Duration.ofSeconds(2).toNanos();

    /**
     * Reads a get-data reply ({@code GetDataResponse}: data, then stat) straight into the
     * {@link NodeData} callers get, on the reader thread: no intermediate record per read.
     */
    private static final ReplyReader<NodeData> NODE_DATA =
            in -> new NodeData(in.readBuffer("GetDataResponse.data"), Stat.read(in));

    private final ClientConfig config;
    private final Session session;
    private final String chroot;
    private final CallEngine engine;
    private final ClientPaths paths;
    private final MultiTranslation multis;
    private final long requestTimeoutNanos;
    /** For the server list's order and rebalancing: no cryptographic randomness needed. */
    private final Random random = new Random();

    private ZkClient(ClientConfig config, ClientMetricsListener metrics) {
        this.config = config;
        this.session = new Session(config, metrics);
        this.chroot = config.hosts().chroot();
        this.engine = session.engine();
        this.paths = new ClientPaths(chroot);
        this.multis = new MultiTranslation(paths);
        this.requestTimeoutNanos = config.requestTimeout().toNanos();
    }

    /**
     * Starts building a client for a connect string: {@code host:port[,host:port...][/chroot]}.
     * Nothing connects until {@link ZkClientBuilder#build()}.
     */
    public static ZkClientBuilder builder(String connectString) {
        return new ZkClientBuilder(connectString);
    }

    /**
     * Starts a client's session and waits for it ({@link ZkClientBuilder#build()}); creates the
     * chroot first when asked to.
     */
    static ZkClient connect(ClientConfig config, List<Consumer<SessionState>> listeners, boolean createChroot) {
        return connect(config, listeners, createChroot, null, null);
    }

    /**
     * {@link #connect(ClientConfig, List, boolean)} reporting to {@code metrics} (null for none),
     * resuming {@code handover}'s session instead of starting one when it is not null.
     */
    static ZkClient connect(
            ClientConfig config,
            List<Consumer<SessionState>> listeners,
            boolean createChroot,
            ClientMetricsListener metrics,
            SessionCredentials handover) {
        ZkClient client = new ZkClient(config, metrics);
        listeners.forEach(client.session.states()::addListener);
        if (handover != null) {
            client.session.resume(handover.id(), handover.password());
        }
        client.session.start();
        client.awaitSession(config.connectTimeout());
        if (config.followEnsembleConfig()) {
            client.runInBackground("ensemble-follower", new EnsembleFollower(client));
        }
        if (createChroot && !config.hosts().chroot().isEmpty()) {
            try {
                client.createChrootNode();
            } catch (RuntimeException e) {
                client.close();
                throw e;
            }
        }
        return client;
    }

    /** Creates the chroot and its ancestors, outside the chroot, where they are missing. */
    private void createChrootNode() {
        String chrootPath = paths.chroot();
        for (int slash = chrootPath.indexOf('/', 1); ; slash = chrootPath.indexOf('/', slash + 1)) {
            String prefix = slash < 0 ? chrootPath : chrootPath.substring(0, slash);
            try {
                engine.run(
                        OpCode.CREATE,
                        new CreateRequest(prefix, null, Acls.OPEN_UNSAFE, CreateMode.PERSISTENT.flag()),
                        CreateResponse::read,
                        null);
            } catch (Failure f) {
                if (!f.isServerError(ErrorCode.NODE_EXISTS)) {
                    throw Errors.toException(f, prefix, true);
                }
            }
            if (slash < 0) {
                return;
            }
        }
    }

    /**
     * Whether this client's chroot node exists (always true without a chroot): a missing chroot
     * makes every call under it fail with {@link ZkException.NoNode}.
     */
    boolean chrootExists() {
        return paths.chroot().isEmpty() || exists("/").isPresent();
    }

    /** The connect string's chroot, "" for none. */
    String chroot() {
        return paths.chroot();
    }

    private void awaitSession(Duration timeout) {
        SessionState state;
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            TlsHandshakeFailure refused = session.awaitConnectionOrTlsRefusal(deadline);
            if (refused != null) {
                close();
                throw ZkException.TlsFailure.of(refused);
            }
            // a connection published now has its state published next: a moment's grace for it
            long left = Math.max(deadline - System.nanoTime(), session.server() != null ? 1_000_000_000L : 0);
            state = session.states().await(EnumSet.of(SessionState.CONNECTED, SessionState.READ_ONLY), left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new ZkException.Interrupted(null, false);
        }
        if (!state.isConnected()) {
            Failure end = session.ended();
            close();
            if (end != null && state.isTerminal()) {
                throw Errors.toException(end, null, false); // e.g. when the new session expired at once
            }
            TlsHandshakeFailure tls = session.lastTlsFailure();
            if (tls != null) {
                throw ZkException.TlsFailure.of(tls);
            }
            throw new ZkException.ConnectionLoss(
                    null,
                    false,
                    "no server in " + config.hosts().hosts() + " accepted a session within " + timeout,
                    null);
        }
    }

    // ---------------------------------------------------------------- reads

    /**
     * Reads a node's data and stat.
     *
     * @throws ZkException.NoNode if the node does not exist
     */
    public NodeData getData(String path) {
        // no helper frame in between: a blocked caller keeps every frame of its call on its stack
        return engine.readPath(OpCode.GET_DATA, server(path), NODE_DATA, path);
    }

    /**
     * Reads a node's data and leaves a one-shot watch that fires when the node's data changes or
     * the node is deleted.
     *
     * @throws ZkException.NoNode if the node does not exist (no watch is left)
     */
    public Watched<NodeData> getDataAndWatch(String path) {
        OneShotWatchImpl watch = new OneShotWatchImpl(path, EventType.DATA_WATCH_REMOVED);
        String serverPath = server(path);
        Watches.Registration registration =
                watch.attach(session.watches().registration(WatchKind.DATA, null, serverPath, watch));
        NodeData data = cancelOnFailure(
                registration,
                () -> call(
                        path, false, OpCode.GET_DATA, new GetDataRequest(serverPath, true), NODE_DATA, registration));
        return new Watched<>(data, watch);
    }

    /** Reads a node's stat, or empty if it does not exist. */
    public Optional<Stat> exists(String path) {
        try {
            return Optional.of(engine.runPathRead(OpCode.EXISTS, server(path), ExistsResponse::read)
                    .stat());
        } catch (Failure f) {
            return noNodeAsEmpty(f, path);
        }
    }

    /**
     * Reads a node's stat (empty if it does not exist) and leaves a one-shot watch that fires
     * when the node is created, changed or deleted.
     */
    public Watched<Optional<Stat>> existsAndWatch(String path) {
        OneShotWatchImpl watch = new OneShotWatchImpl(path, EventType.DATA_WATCH_REMOVED);
        String serverPath = server(path);
        Watches.Registration registration =
                watch.attach(session.watches().registration(WatchKind.DATA, WatchKind.EXIST, serverPath, watch));
        Optional<Stat> stat = cancelOnFailure(
                registration,
                () -> existsResult(
                        () -> engine.run(
                                OpCode.EXISTS, new ExistsRequest(serverPath, true), ExistsResponse::read, registration),
                        path));
        return new Watched<>(stat, watch);
    }

    /**
     * Runs a call that sets a one-shot watch; if it fails, nobody will hold the watch, so its
     * registration is cancelled and a late reply cannot register it.
     */
    private static <T> T cancelOnFailure(Watches.Registration registration, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            registration.cancelEverywhere();
            throw e;
        }
    }

    /** An exists call's stat, or empty for the server's {@code NO_NODE}. */
    private static Optional<Stat> existsResult(FailingCall<ExistsResponse> call, String path) {
        try {
            return Optional.of(call.run().stat());
        } catch (Failure f) {
            return noNodeAsEmpty(f, path);
        }
    }

    /** Empty for the server's {@code NO_NODE}; otherwise throws the exception {@code f} stands for. */
    private static <T> Optional<T> noNodeAsEmpty(Failure f, String path) {
        if (f.isServerError(ErrorCode.NO_NODE)) {
            return Optional.empty();
        }
        throw Errors.toException(f, path, false);
    }

    /** A call run through {@link CallEngine#run}, whose failure comes back as data. */
    @FunctionalInterface
    private interface FailingCall<T> {
        T run() throws Failure;
    }

    /**
     * Lists a node's children, with the node's stat.
     *
     * @throws ZkException.NoNode if the node does not exist
     */
    public Children getChildren(String path) {
        GetChildren2Response r = engine.readPath(OpCode.GET_CHILDREN2, server(path), GetChildren2Response::read, path);
        return new Children(names(r.children()), r.stat());
    }

    /**
     * Lists a node's children and leaves a one-shot watch that fires when a child is added or
     * removed, or the node is deleted.
     *
     * @throws ZkException.NoNode if the node does not exist (no watch is left)
     */
    public Watched<Children> getChildrenAndWatch(String path) {
        OneShotWatchImpl watch = new OneShotWatchImpl(path, EventType.CHILD_WATCH_REMOVED);
        String serverPath = server(path);
        Watches.Registration registration =
                watch.attach(session.watches().registration(WatchKind.CHILD, null, serverPath, watch));
        GetChildren2Response r = cancelOnFailure(
                registration,
                () -> call(
                        path,
                        false,
                        OpCode.GET_CHILDREN2,
                        new GetChildren2Request(serverPath, true),
                        GetChildren2Response::read,
                        registration));
        return new Watched<>(new Children(names(r.children()), r.stat()), watch);
    }

    /**
     * Counts every node below a path (not the node itself).
     *
     * @throws ZkException.NoNode if the node does not exist
     */
    public int getAllChildrenNumber(String path) {
        GetAllChildrenNumberResponse r = call(
                path,
                false,
                OpCode.GET_ALL_CHILDREN_NUMBER,
                new GetAllChildrenNumberRequest(server(path)),
                GetAllChildrenNumberResponse::read);
        return r.totalNumber();
    }

    /** Lists every ephemeral node this session owns. */
    public List<String> getEphemerals() {
        return getEphemerals("/");
    }

    /** Lists the ephemeral nodes this session owns whose paths start with {@code prefixPath}. */
    public List<String> getEphemerals(String prefixPath) {
        GetEphemeralsResponse r = call(
                prefixPath,
                false,
                OpCode.GET_EPHEMERALS,
                new GetEphemeralsRequest(server(prefixPath)),
                GetEphemeralsResponse::read);
        List<String> paths = new ArrayList<>(names(r.ephemerals()).size());
        for (String p : names(r.ephemerals())) {
            paths.add(Paths.toClient(chroot, p));
        }
        return Collections.unmodifiableList(paths);
    }

    /**
     * Reads a node's ACL and stat.
     *
     * @throws ZkException.NoNode if the node does not exist
     */
    public AclData getAcl(String path) {
        GetACLResponse r = call(path, false, OpCode.GET_ACL, new GetACLRequest(server(path)), GetACLResponse::read);
        return new AclData(r.acl() == null ? List.of() : r.acl(), r.stat());
    }

    /** The identities this session is authenticated as (ZooKeeper 3.7+). */
    public List<ClientInfo> whoAmI() {
        WhoAmIResponse r = call(null, false, OpCode.WHO_AM_I, null, WhoAmIResponse::read);
        return r.clientInfo() == null ? List.of() : r.clientInfo();
    }

    /**
     * Reads the ensemble's dynamic configuration ({@code /zookeeper/config}, outside any chroot)
     * and leaves a one-shot watch that fires when a reconfiguration changes it. Parse it with
     * {@link EnsembleConfig#parse}.
     *
     * @throws ZkException.NoNode on a server without dynamic configuration (before 3.5)
     */
    public Watched<NodeData> getConfigAndWatch() {
        OneShotWatchImpl watch = new OneShotWatchImpl(CONFIG_NODE, EventType.DATA_WATCH_REMOVED);
        Watches.Registration registration =
                watch.attach(session.watches().registration(WatchKind.DATA, null, CONFIG_NODE, watch));
        NodeData data = cancelOnFailure(
                registration,
                () -> engine.call(
                        OpCode.GET_DATA,
                        new GetDataRequest(CONFIG_NODE, true),
                        NODE_DATA,
                        registration,
                        CONFIG_NODE,
                        false));
        return new Watched<>(data, watch);
    }

    /**
     * Changes the ensemble's membership incrementally (ZooKeeper 3.5+, on servers with
     * {@code reconfigEnabled=true}; the caller needs the rights the server asks for, by default
     * the super user's). Blocks until the new configuration is committed.
     *
     * @param joining servers to add, each {@code server.<id>=<host>:<quorumPort>:<electionPort>[:<role>];<clientPort>}
     * @param leaving the ids of servers to remove
     * @param fromVersion the configuration version this change is based on, or -1 for any: a
     *     change based on an older version fails with {@link ZkException.BadVersion}
     * @return the new configuration and its stat
     * @throws ZkException.Other with {@code RECONFIG_DISABLED}, {@code NEW_CONFIG_NO_QUORUM} or
     *     {@code RECONFIG_IN_PROGRESS} as its code when the server refuses
     * @throws ZkException.NoAuth without the rights
     */
    public NodeData reconfig(List<String> joining, List<String> leaving, long fromVersion) {
        return call(
                CONFIG_NODE,
                true,
                OpCode.RECONFIG,
                new ReconfigRequest(commaList(joining), commaList(leaving), null, fromVersion),
                NODE_DATA);
    }

    /**
     * Replaces the ensemble's membership as a whole (ZooKeeper 3.5+; see {@link #reconfig}).
     *
     * @param members every server of the new configuration, in the form {@link #reconfig} takes
     */
    public NodeData reconfigTo(List<String> members, long fromVersion) {
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException("a new configuration needs at least one member");
        }
        return call(
                CONFIG_NODE,
                true,
                OpCode.RECONFIG,
                new ReconfigRequest(null, null, commaList(members), fromVersion),
                NODE_DATA);
    }

    private static String commaList(List<String> items) {
        return items == null || items.isEmpty() ? null : String.join(",", items);
    }

    /**
     * Replaces the servers this client connects to, without a new session. The session stays
     * on its server when that server is in the new list, except that when the list grew it moves
     * to a new server with probability {@code 1 - old size / new size}, so that clients spread
     * over new members as they arrive (the official client's rebalancing); it moves when its
     * server is no longer listed. A move drops the connection: calls in flight fail with
     * {@link ZkException.ConnectionLoss} as on any disconnection, and the session resumes on the
     * next server. Returns at once.
     *
     * @param connectString {@code host:port[,host:port...]}, optionally with the client's own
     *     chroot (another chroot is refused)
     * @return whether the session moves
     * @throws IllegalArgumentException if the connect string is malformed or names another chroot
     */
    public boolean updateServerList(String connectString) {
        HostList next = HostList.parse(connectString, random);
        if (!next.chroot().isEmpty() && !next.chroot().equals(chroot)) {
            throw new IllegalArgumentException("a client's chroot cannot change: " + next.chroot() + " is not "
                    + (chroot.isEmpty() ? "none" : chroot));
        }
        return session.updateHosts(next, random);
    }

    /** Reads the ensemble's dynamic configuration ({@code /zookeeper/config}, outside any chroot). */
    public NodeData getConfig() {
        return engine.readPath(OpCode.GET_DATA, CONFIG_NODE, NODE_DATA, CONFIG_NODE); // outside any chroot
    }

    // ---------------------------------------------------------------- writes

    /**
     * Creates a node.
     *
     * @param data the data, or null for none
     * @return the created path (with the sequence suffix, for sequential modes) and stat
     * @throws ZkException.NodeExists if it exists (never for sequential modes)
     * @throws ZkException.NoNode if the parent does not exist
     * @throws ZkException.NoChildrenForEphemerals if the parent is ephemeral
     * @throws ZkException.Unimplemented for TTL modes on a server without extended types
     */
    public Created create(String path, byte[] data, CreateOptions options) {
        CreateMode mode = options.mode();
        String serverPath = paths.forCreate(path, mode);
        Create2Response r;
        if (mode.isTtl()) {
            r = call(
                    path,
                    true,
                    OpCode.CREATE_TTL,
                    new CreateTTLRequest(serverPath, data, options.acl(), mode.flag(), options.ttlMillis()),
                    Create2Response::read);
        } else {
            r = call(
                    path,
                    true,
                    mode.isContainer() ? OpCode.CREATE_CONTAINER : OpCode.CREATE2,
                    new CreateRequest(serverPath, data, options.acl(), mode.flag()),
                    Create2Response::read);
        }
        return new Created(Paths.toClient(chroot, r.path()), r.stat());
    }

    /** Creates a persistent node with {@link Acls#OPEN_UNSAFE}; see {@link #create(String, byte[], CreateOptions)}. */
    public Created create(String path, byte[] data) {
        return create(path, data, CreateOptions.persistent());
    }

    /**
     * Replaces a node's data if its version is {@code expectedVersion} ({@code -1}: any).
     *
     * @return the node's new stat
     * @throws ZkException.BadVersion if the version did not match
     * @throws ZkException.NoNode if the node does not exist
     */
    public Stat setData(String path, byte[] data, int expectedVersion) {
        SetDataResponse r = call(
                path,
                true,
                OpCode.SET_DATA,
                new SetDataRequest(server(path), data, expectedVersion),
                SetDataResponse::read);
        return r.stat();
    }

    /** Replaces a node's data, whatever its version. */
    public Stat setData(String path, byte[] data) {
        return setData(path, data, -1);
    }

    /**
     * Deletes a node if its version is {@code expectedVersion} ({@code -1}: any).
     *
     * @throws ZkException.NoNode if the node does not exist
     * @throws ZkException.NotEmpty if it has children
     * @throws ZkException.BadVersion if the version did not match
     */
    public void delete(String path, int expectedVersion) {
        call(path, true, OpCode.DELETE, new DeleteRequest(paths.forDelete(path), expectedVersion), null);
    }

    /** Deletes a node, whatever its version. */
    public void delete(String path) {
        delete(path, -1);
    }

    /**
     * Replaces a node's ACL if its ACL version ({@code stat.aversion()}) is {@code expectedAclVersion}
     * ({@code -1}: any).
     *
     * @return the node's new stat
     */
    public Stat setAcl(String path, List<ACL> acl, int expectedAclVersion) {
        SetACLResponse r = call(
                path,
                true,
                OpCode.SET_ACL,
                new SetACLRequest(server(path), List.copyOf(acl), expectedAclVersion),
                SetACLResponse::read);
        return r.stat();
    }

    /**
     * Waits until the connected server has caught up with the leader, so that later reads on
     * this client see every write committed before the sync.
     */
    public void sync(String path) {
        call(path, false, OpCode.SYNC, new SyncRequest(server(path)), null);
    }

    /**
     * Adds credentials to the session (e.g. {@code "digest"} with
     * {@link Acls#digestCredentials}); they are replayed on every reconnect. Blocks until the
     * server accepts them.
     *
     * @throws ZkException.AuthFailed if the server rejects them (the session then ends)
     */
    public void addAuth(String scheme, byte[] credentials) {
        engine.addAuth(new AuthPacket(0, Objects.requireNonNull(scheme, "scheme"), credentials.clone()));
    }

    // ---------------------------------------------------------------- transactions

    /**
     * Applies writes atomically: all of them, or none.
     *
     * @return one result per op, in order
     * @throws ZkException.MultiFailed if an op failed: nothing was applied; the exception names
     *     the op and carries every op's result
     */
    public List<OpResult> multi(List<Op> ops) {
        MultiResponse r = call(
                ops.isEmpty() ? null : ops.get(0).path(), true, OpCode.MULTI, multis.writes(ops), MultiResponse::read);
        List<OpResult> results = multis.results(r);
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof OpResult.ErrorResult e && e.rawCode() != 0) {
                throw new ZkException.MultiFailed(
                        e.rawCode(), i < ops.size() ? ops.get(i).path() : null, i, results);
            }
        }
        return results;
    }

    /** Applies writes atomically; see {@link #multi(List)}. */
    public List<OpResult> multi(Op... ops) {
        return multi(Arrays.asList(ops));
    }

    /**
     * Runs reads together; each has its own result ({@link OpResult.ErrorResult} for a read
     * that failed, e.g. a missing node).
     */
    public List<OpResult> multiRead(List<ReadOp> ops) {
        MultiResponse r = call(
                ops.isEmpty() ? null : ops.get(0).path(),
                false,
                OpCode.MULTI_READ,
                multis.reads(ops),
                MultiResponse::read);
        return multis.results(r);
    }

    /** Runs reads together; see {@link #multiRead(List)}. */
    public List<OpResult> multiRead(ReadOp... ops) {
        return multiRead(Arrays.asList(ops));
    }

    // ---------------------------------------------------------------- convenience

    /**
     * Creates a node, first creating any missing ancestors as persistent nodes with the same ACL.
     *
     * @throws ZkException.NodeExists if the node itself exists
     */
    public Created createWithParents(String path, byte[] data, CreateOptions options) {
        return TreeOps.createWithParents(this, path, data, options);
    }

    /**
     * Creates a node unless it exists.
     *
     * @return true if this call created it, false if it already existed
     */
    public boolean createIfAbsent(String path, byte[] data, CreateOptions options) {
        try {
            create(path, data, options);
            return true;
        } catch (ZkException.NodeExists e) {
            return false;
        }
    }

    /**
     * Sets a node's data only if its version is {@code expectedVersion}.
     *
     * @return the new stat, or empty if the version did not match
     * @throws ZkException.NoNode if the node does not exist
     */
    public Optional<Stat> compareAndSet(String path, int expectedVersion, byte[] data) {
        try {
            return Optional.of(setData(path, data, expectedVersion));
        } catch (ZkException.BadVersion e) {
            return Optional.empty();
        }
    }

    /**
     * Read-modify-write: applies {@code update} to the node's data and writes the result if
     * nobody changed the node meanwhile, retrying with the fresh data until it sticks.
     *
     * @return the data written and the node's new stat
     * @throws ZkException.NoNode if the node does not exist
     */
    public NodeData update(String path, UnaryOperator<byte[]> update) {
        while (true) {
            NodeData current = getData(path);
            byte[] next = update.apply(current.data().clone());
            Optional<Stat> stat = compareAndSet(path, current.stat().version(), next);
            if (stat.isPresent()) {
                return new NodeData(next, stat.get());
            }
        }
    }

    /**
     * Deletes a node and everything below it, deepest first. Nodes that vanish meanwhile are
     * fine; a node that keeps getting new children is retried a few times, then
     * {@link ZkException.NotEmpty} is thrown.
     *
     * @return whether the node existed
     */
    public boolean deleteRecursive(String path) {
        return TreeOps.deleteRecursive(this, path);
    }

    /**
     * Reads a node and everything below it.
     *
     * @return each node's path (relative to the chroot) and data, sorted by path
     * @throws ZkException.NoNode if the node does not exist
     */
    public Map<String, NodeData> readTree(String path) {
        return TreeOps.readTree(this, path);
    }

    // ---------------------------------------------------------------- watches

    /**
     * Adds a persistent watch (ZooKeeper 3.6+): every change to the node ({@link AddWatchMode#PERSISTENT}:
     * data, creation, deletion, children) or to the node and every node below it
     * ({@link AddWatchMode#PERSISTENT_RECURSIVE}: data, creation, deletion) is queued on the
     * returned watch until it is closed.
     *
     * @throws ZkException.Unimplemented if the server predates persistent watches (3.5)
     */
    public PersistentWatch addWatch(String path, AddWatchMode mode) {
        String serverPath = server(path);
        WatchKind kind = mode == AddWatchMode.PERSISTENT ? WatchKind.PERSISTENT : WatchKind.PERSISTENT_RECURSIVE;
        PersistentWatchImpl watch = new PersistentWatchImpl(
                path,
                config.watchBufferCapacity(),
                config.watchBufferBytes(),
                w -> removePersistent(w, kind, serverPath));
        Watches.Registration registration = session.watches().registration(kind, null, serverPath, watch);
        try {
            engine.run(
                    OpCode.ADD_WATCH, new AddWatchRequest(serverPath, mode.mode()), ErrorResponse::read, registration);
        } catch (Failure f) {
            if (registration.cancel()) {
                removeOnServer(kind, serverPath);
            }
            if (f.isServerError(ErrorCode.UNIMPLEMENTED)) {
                throw new ZkException.Unimplemented(path, "persistent watches need ZooKeeper 3.6 or newer");
            }
            throw Errors.toException(f, path, false);
        }
        session.backlogs().watch(watch);
        return watch;
    }

    private void removePersistent(PersistentWatchImpl watch, WatchKind kind, String serverPath) {
        if (session.watches().remove(kind, serverPath, watch)) {
            removeOnServer(kind, serverPath);
        }
    }

    private void removeOnServer(WatchKind kind, String serverPath) {
        // best effort: if it fails, the server's watch goes with the session, and is not re-armed
        session.removeServerWatch(kind, serverPath);
    }

    /**
     * Removes this session's watches of a type from a path, on the server and here. One-shot
     * watches removed this way fire with {@link EventType#DATA_WATCH_REMOVED} or
     * {@link EventType#CHILD_WATCH_REMOVED}; persistent ones end.
     *
     * @throws ZkException.Other with {@link ErrorCode#NO_WATCHER} if the server had no such watch
     */
    public void removeWatches(String path, WatcherType type) {
        String serverPath = server(path);
        call(path, false, OpCode.REMOVE_WATCHES, new RemoveWatchesRequest(serverPath, type.code()), null);
        Watches watches = session.watches();
        switch (type) {
            case DATA ->
                watches.removeAll(
                        List.of(WatchKind.DATA, WatchKind.EXIST), serverPath, EventType.DATA_WATCH_REMOVED.code());
            case CHILDREN ->
                watches.removeAll(List.of(WatchKind.CHILD), serverPath, EventType.CHILD_WATCH_REMOVED.code());
            case PERSISTENT ->
                watches.removeAll(List.of(WatchKind.PERSISTENT), serverPath, EventType.PERSISTENT_WATCH_REMOVED.code());
            case PERSISTENT_RECURSIVE ->
                watches.removeAll(
                        List.of(WatchKind.PERSISTENT_RECURSIVE), serverPath, EventType.PERSISTENT_WATCH_REMOVED.code());
            case ANY -> {
                watches.removeAll(
                        List.of(WatchKind.DATA, WatchKind.EXIST), serverPath, EventType.DATA_WATCH_REMOVED.code());
                watches.removeAll(List.of(WatchKind.CHILD), serverPath, EventType.CHILD_WATCH_REMOVED.code());
                watches.removeAll(
                        List.of(WatchKind.PERSISTENT, WatchKind.PERSISTENT_RECURSIVE),
                        serverPath,
                        EventType.PERSISTENT_WATCH_REMOVED.code());
            }
        }
    }

    // ---------------------------------------------------------------- session

    /** The session's state now. */
    public SessionState state() {
        return session.states().current();
    }

    /** The session timeout this client asked for ({@link #negotiatedSessionTimeout()} is what it got). */
    public Duration sessionTimeout() {
        return config.sessionTimeout();
    }

    /** How long one call may wait in total, for a connection and then its reply. */
    public Duration requestTimeout() {
        return config.requestTimeout();
    }

    /** The session id, as the servers know it. */
    public long sessionId() {
        return session.sessionId();
    }

    /**
     * The session password (a copy), for tools that must act as this session (tests that expire
     * it). A secret: see {@link #sessionCredentials()}.
     */
    public byte[] sessionPassword() {
        return session.password();
    }

    /**
     * The session's id and password, to hand the session over to another client
     * ({@link ZkClientBuilder#session(SessionCredentials)}). The password is a secret (whoever
     * holds it can act as this session, and close it); the record never prints it and holds a copy.
     *
     * @throws IllegalStateException if no session has been established yet
     */
    public SessionCredentials sessionCredentials() {
        long id = session.sessionId();
        if (id == 0) {
            throw new IllegalStateException("no session has been established yet");
        }
        return new SessionCredentials(id, session.password());
    }

    /**
     * Drops the connection in use while keeping the session, as a network cut would: the client
     * reconnects at once, to the next server of the connect string when it has several, and
     * resumes the session within its timeout. Calls in flight fail with
     * {@link ZkException.ConnectionLoss} (a write's {@code mayHaveBeenApplied()} is true), calls not
     * yet written wait and go out on the next connection, ephemeral nodes stay, watches are set
     * again on the new connection (an event in between fires as on any reconnect). State
     * listeners see {@link SessionState#SUSPENDED} then {@link SessionState#CONNECTED}. For tests
     * and for operators who move a client off a server. Returns at once, without waiting for the
     * new connection.
     *
     * @return false if there was no connection to drop (the client is between connections, or
     *     its session is over)
     */
    public boolean dropConnection() {
        return session.dropConnection();
    }

    /**
     * How many watches the servers hold for this session now: one per (kind, path) pair, however
     * many local watches share it. Takes the watch registry's lock briefly.
     */
    public int watchCount() {
        return session.watches().serverWatchCount();
    }

    /** The session timeout the servers granted. */
    public Duration negotiatedSessionTimeout() {
        return Duration.ofMillis(session.negotiatedTimeoutMillis());
    }

    /**
     * How long ago a server last answered this session: a reply or a ping reply (watch
     * notifications do not count, since they do not prove the server still hears this client).
     * While connected it stays below a third of the session timeout (pings); while suspended it
     * grows, and once it passes the negotiated session timeout the ensemble has expired the
     * session. Recipes use it to stop trusting a lease well before that.
     */
    public Duration sinceLastHeard() {
        return Duration.ofNanos(Math.max(0, System.nanoTime() - session.lastHeardNanos()));
    }

    /** The server this client is connected to now, or null while it is not connected. */
    public InetSocketAddress connectedServer() {
        return session.server();
    }

    /**
     * Adds a listener that sees every later state transition, in order, on a dedicated virtual
     * thread (never the thread reading replies). A slow listener delays only other listeners.
     */
    public void addStateListener(Consumer<SessionState> listener) {
        session.states().addListener(Objects.requireNonNull(listener, "listener"));
    }

    /** Removes a state listener. */
    public void removeStateListener(Consumer<SessionState> listener) {
        session.states().removeListener(listener);
    }

    /**
     * Blocks until the state is one of {@code targets} (or terminal), or the timeout passes.
     *
     * @return the state at that moment
     * @throws InterruptedException if interrupted while waiting
     */
    public SessionState awaitState(Duration timeout, SessionState... targets) throws InterruptedException {
        EnumSet<SessionState> set = EnumSet.noneOf(SessionState.class);
        set.addAll(Arrays.asList(targets));
        return session.states().await(set, timeout.toNanos());
    }

    /**
     * After the session expired (or authentication failed), starts a fresh session on this
     * client and blocks until it is connected. Nothing of the old session survives: its
     * ephemeral nodes are gone and its watches have ended; credentials are kept.
     *
     * @throws IllegalStateException if the session has not ended, or the client was closed
     * @throws ZkException.ConnectionLoss if no server accepted a session within the connect timeout
     */
    public void startNewSession() {
        session.restart();
        awaitSession(config.connectTimeout());
    }

    /**
     * Runs a one-off background job on a virtual thread this client owns, named
     * {@code zk-job-<name>}: for work that must outlive the call that needs it, such as a
     * recipe's cleanup of a node whose create or delete had an unknown outcome. Returns at once.
     * {@link #close()} interrupts the jobs still running, after the session is closed (so their
     * calls fail with {@link ZkException.Closed}), and waits for them up to a second; a job should
     * end when interrupted or when the session ends. A job that throws is logged at WARNING.
     *
     * @param name what the job works on, for its thread's name (nothing secret)
     * @return true if the job was started; false if the client is closed, and the job did not run
     */
    public boolean runInBackground(String name, Runnable job) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(job, "job");
        return session.jobs().start(name, job);
    }

    /**
     * Closes the session on the server (its ephemeral nodes vanish at once) and the connection.
     * Blocks for at most two seconds (or the request timeout, if shorter) for the server's answer:
     * once the close request is sent the server acts on it even if the answer is not awaited.
     * Calls waiting for a connection, and calls made afterwards, fail with
     * {@link ZkException.Closed}; calls already sent when the connection closes fail with
     * {@link ZkException.ConnectionLoss} (their {@code mayHaveBeenApplied()} says whether they
     * could have taken effect); watches end. A connection attempt in progress (while suspended)
     * is abandoned at once, whatever the server does. Background jobs
     * ({@link #runInBackground}) are interrupted and waited for, and state listeners hear
     * {@link SessionState#CLOSED}, before this returns (a job or listener still busy after another
     * second is not waited for). Idempotent.
     */
    @Override
    public void close() {
        session.close(System.nanoTime() + Math.min(requestTimeoutNanos, CLOSE_WAIT_NANOS));
    }

    @Override
    public String toString() {
        return "ZkClient[session 0x" + Long.toHexString(sessionId()) + ", " + state() + ", "
                + config.hosts().hosts() + (chroot.isEmpty() ? "" : chroot) + "]";
    }

    // ---------------------------------------------------------------- the call path

    private String server(String path) {
        return paths.server(path);
    }

    private static List<String> names(List<String> names) {
        return names == null ? List.of() : names;
    }

    private <T> T call(String path, boolean write, OpCode op, Request body, ReplyReader<T> reader) {
        return engine.call(op, body, reader, null, path, write);
    }

    private <T> T call(
            String path, boolean write, OpCode op, Request body, ReplyReader<T> reader, WatchRegistration watch) {
        return engine.call(op, body, reader, watch, path, write);
    }

    /** A read whose request is the path and a false watch flag: no request record is made. */
}
