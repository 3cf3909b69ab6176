package io.loomzk.client.internal;

import io.loomzk.client.SessionState;
import io.loomzk.protocol.AuthPacket;
import io.loomzk.protocol.ConnectRequest;
import io.loomzk.protocol.ConnectResponse;
import io.loomzk.protocol.ErrorCode;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.WatcherEvent;
import io.loomzk.protocol.Xids;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A ZooKeeper session: the loop that keeps it connected across servers, and what callers need
 * from it (the current connection, the terminal failure, the state channel).
 *
 * <p>The loop, on its own virtual thread, picks the next host, connects and shakes hands (with
 * the session id, password and last zxid seen), runs the SASL exchange when the client has SASL
 * settings (see {@link SaslExchange}; a refusal ends the session, a dropped exchange is a failed
 * connection), replays every auth added so far, re-arms every
 * watch, publishes the connection, waits for it to die, publishes {@link SessionState#SUSPENDED}
 * and tries the next host, backing off with jitter after a full round of failures. It ends the
 * session when the client is closed, when a server says the session expired or authentication
 * failed, or when no server has answered for the whole negotiated session timeout (the client
 * then declares the session expired itself, as the ensemble will have).
 */
public final class Session implements Connection.Listener {
    private static final System.Logger LOG = System.getLogger(Session.class.getName());
    private static final long LISTENER_DRAIN_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ClientConfig config;
    /** The servers to connect to: replaced whole by {@link #updateHosts} (under lock), read by the loop. */
    private volatile HostList hosts;

    private final Watches watches;
    private final StateChannel states;
    private final List<AuthPacket> auths = new CopyOnWriteArrayList<>();
    private final CallEngine engine;
    private final Unwatcher unwatcher;
    /** The client's one-off background jobs; closed (interrupted and joined) by {@link #close}. */
    private final Jobs jobs = new Jobs();
    /** Reports consumers that fall behind; runs as one of the jobs while there is something to watch. */
    private final BacklogWatchdog backlogs;

    private final ReconnectPolicy reconnect;
    /** The SASL exchange run on every new connection, or null without SASL; owned by the loop. */
    private final SaslExchange sasl;
    /** Where calls, attempts, states and re-arms are reported. */
    private final ClientEvents events;
    /** Owned by the loop: whether another process has taken the session over. */
    private final TakeoverGuard takeover = new TakeoverGuard();

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when the connection, the end, or a session error changes. */
    private final Condition changed = lock.newCondition();
    /** Guarded by lock: the connection the loop is serving, from handshake to death. */
    private Connection live;
    /**
     * Guarded by lock: the socket of the connection attempt in progress (set and cleared by the
     * loop), which {@link #close(long)} closes to end the attempt.
     */
    private Socket attempt;
    /** Guarded by lock: the terminal failure, once the session is over. */
    private Failure.SessionEnded ended;
    /** Guarded by lock: what the last attempts that failed in TLS said ({@link TlsAttempts}). */
    private final TlsAttempts tlsAttempts = new TlsAttempts();

    /** The connection callers may use: set after auth replay and watch re-arming. */
    private volatile Connection published;
    /**
     * What the servers granted, as one snapshot: written by the loop alone (and reset by
     * {@link #restart()} once the loop has ended), read by anyone.
     */
    private volatile SessionInfo info = SessionInfo.NONE;
    /** When the last connection last received a frame; the live connection knows better. */
    private volatile long lastHeardNanos = System.nanoTime();
    /** Written by the reader of the live connection. */
    private volatile long lastZxid;
    /** A terminal code a server sent (expired, auth failed), for the loop to act on. */
    private volatile int serverTerminalCode;
    /** Why SASL authentication ended the session (set by the loop), or null. */
    private volatile Failure.SessionEnded saslRefused;
    /** A server said the session moved: drop this connection and reconnect. */
    private volatile boolean sessionMoved;

    private volatile boolean closing;

    private Thread loop;

    /** Creates the session; {@link #start()} begins connecting. */
    public Session(ClientConfig config) {
        this(config, null);
    }

    /**
     * Creates the session, reporting its calls, connection attempts, states and re-arms to
     * {@code listener} too (null for none; the flight recorder's events need no listener).
     */
    public Session(ClientConfig config, io.loomzk.client.ClientMetricsListener listener) {
        this.config = config;
        this.events = listener == null ? ClientEvents.NONE : new ClientEvents(listener);
        this.hosts = config.hosts();
        this.auths.addAll(config.auths());
        this.engine = new CallEngine(this, config);
        this.watches = new Watches(hosts.chroot(), this::unwatchLater);
        this.unwatcher = new Unwatcher(hosts.hosts().toString(), watches, engine, () -> lastZxid);
        this.reconnect = new ReconnectPolicy(config, () -> this.hosts.size());
        this.sasl = config.sasl() == null ? null : new SaslExchange(config.sasl());
        this.states = new StateChannel(Integer.toHexString(System.identityHashCode(this)));
        this.backlogs =
                new BacklogWatchdog(jobs, events, config.slowConsumerWarning().toNanos());
        states.reportBacklogsTo(backlogs);
        if (listener != null) {
            states.addListener(events::stateChanged);
        }
    }

    /**
     * Before {@link #start()}: makes the first handshake resume session {@code id} instead of
     * asking for a new one (a hand-over from another client or process). If the ensemble no
     * longer knows it, the session ends as expired.
     */
    public void resume(long id, byte[] password) {
        int asked = (int)
                Math.min(Integer.MAX_VALUE, Math.max(1, config.sessionTimeout().toMillis()));
        info = new SessionInfo(id, password, asked, true);
        lastHeardNanos = System.nanoTime();
        takeover.tookOver(lastHeardNanos, asked);
    }

    /**
     * Closes the connection in use, as a network cut would, and lets the loop reconnect (to the
     * next host in turn) and resume the session: calls in flight fail with a connection loss,
     * calls not yet written are sent on the next connection, watches are re-armed.
     *
     * @return false if there was no connection to drop
     */
    public boolean dropConnection() {
        Connection c;
        lock.lock();
        try {
            c = live;
        } finally {
            lock.unlock();
        }
        if (c == null || c.isClosed()) {
            return false;
        }
        c.close(new TakeoverGuard.DroppedOnRequest(
                "connection to " + c.server() + " dropped on request (dropConnection); the session reconnects"));
        return true;
    }

    /** Where this session's work is reported. */
    ClientEvents events() {
        return events;
    }

    /** Whether a connection is ready for callers now. */
    boolean connectedNow() {
        Connection c = published;
        return c != null && !c.isClosed();
    }

    /** Starts the session loop. */
    public void start() {
        loop = Thread.ofVirtual().name("zk-session-" + hosts.hosts()).start(this::run);
    }

    /** The engine every call of this session goes through. */
    public CallEngine engine() {
        return engine;
    }

    /** The registry of this session's watches. */
    public Watches watches() {
        return watches;
    }

    /** The state channel. */
    public StateChannel states() {
        return states;
    }

    /**
     * Replaces the servers the session connects to. The session stays where it is when its server
     * is in the new list, except that when the list grew, it moves to one of the new servers with
     * probability {@code 1 - old size / new size}, so that clients spread over the new members
     * (as the official client's rebalancing does); it moves when its server is no longer listed.
     * Moving drops the connection: calls in flight fail with connection loss, and the session
     * resumes on the next server, its watches re-armed. Without a connection, the next attempt
     * uses the new list.
     *
     * @return whether the connection was dropped to move the session
     */
    public boolean updateHosts(HostList next, Random random) {
        lock.lock();
        try {
            if (closing) {
                return false;
            }
            HostList before = hosts;
            Connection c = live;
            if (c == null || c.isClosed()) {
                hosts = next;
                return false;
            }
            InetSocketAddress current = c.server();
            if (!next.contains(current)) {
                hosts = next;
                LOG.log(Level.INFO, () -> "server " + current + " is no longer listed: moving the session");
                c.close(new ConnectException("server " + current + " is no longer in the client's server list"));
                return true;
            }
            List<HostList.Host> added = next.newcomers(before);
            if (!added.isEmpty()
                    && next.size() > before.size()
                    && random.nextDouble() >= (double) before.size() / next.size()) {
                hosts = next.startingAt(added.get(random.nextInt(added.size())));
                LOG.log(
                        Level.INFO,
                        () -> "the server list grew from " + before.size() + " to " + next.size()
                                + ": moving the session to a new server to spread the load");
                c.close(new ConnectException("moving to a new server to spread the load"));
                return true;
            }
            hosts = next;
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Watches the backlogs of persistent watches and state listeners, and reports slow consumers. */
    public BacklogWatchdog backlogs() {
        return backlogs;
    }

    /** The client's one-off background jobs, which {@link #close} interrupts and waits for. */
    public Jobs jobs() {
        return jobs;
    }

    /** The session id, or 0 before the first handshake. */
    public long sessionId() {
        return info.id();
    }

    /** The session password, for tools that take over or expire a session on purpose. */
    public byte[] password() {
        return info.password();
    }

    /** The session timeout the server granted, in milliseconds, or 0 before the first handshake. */
    public int negotiatedTimeoutMillis() {
        return info.timeoutMillis();
    }

    /** The highest zxid seen in a reply. */
    public long lastZxid() {
        return lastZxid;
    }

    /**
     * When a server last answered this session (a reply or a ping reply, not a notification), in
     * {@link System#nanoTime()} terms.
     */
    public long lastHeardNanos() {
        Connection c = published;
        return c != null ? c.lastReplyNanos() : lastHeardNanos;
    }

    /** The server of the connection in use, or null. */
    public InetSocketAddress server() {
        Connection c = published;
        return c == null ? null : c.server();
    }

    /** The configuration. */
    public ClientConfig config() {
        return config;
    }

    /**
     * The connection to send on, waiting for one until the deadline.
     *
     * @return the connection, or null if the deadline passed or the session ended (see
     *     {@link #ended()})
     * @throws InterruptedException if interrupted while waiting
     */
    public Connection awaitConnection(long deadlineNanos) throws InterruptedException {
        Connection c = published;
        if (c != null && !c.isClosed()) {
            return c;
        }
        lock.lock();
        try {
            while (ended == null) {
                c = published;
                if (c != null && !c.isClosed()) {
                    return c;
                }
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    return null;
                }
                changed.awaitNanos(remaining);
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until a connection is published, the session ends, the deadline passes, or every
     * host in a row failed TLS.
     *
     * @return the last TLS failure in that last case, else null
     * @throws InterruptedException if interrupted while waiting
     */
    public TlsHandshakeFailure awaitConnectionOrTlsRefusal(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (ended == null && published == null) {
                TlsHandshakeFailure refused = tlsAttempts.refusedByAll(hosts.size());
                if (refused != null) {
                    return refused;
                }
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    return null;
                }
                changed.awaitNanos(remaining);
            }
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** The last failure of an attempt that failed in TLS, unless an attempt got through since. */
    public TlsHandshakeFailure lastTlsFailure() {
        lock.lock();
        try {
            return tlsAttempts.last();
        } finally {
            lock.unlock();
        }
    }

    /** Counts an attempt's TLS failure (or a handshake, {@code e == null}) and wakes the waiters. */
    private void noteFailedAttempt(Throwable e) {
        TlsHandshakeFailure tls = e instanceof TlsHandshakeFailure t ? t : null;
        boolean news;
        lock.lock();
        try {
            news = tls != null && tlsAttempts.isNew(tls);
            tlsAttempts.note(tls, e != null);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (news) {
            LOG.log(Level.WARNING, tls::getMessage); // once per reason and server until one gets through
        }
    }

    /** Why the session ended, or null while it lives. */
    /** Whether {@link #close} has begun: the session is going away because this client ends it. */
    boolean isClosing() {
        return closing;
    }

    public Failure.SessionEnded ended() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }

    /** Replays {@code auth} on every later connection (the engine sends it on this one). */
    void rememberAuth(AuthPacket auth) {
        auths.add(auth);
    }

    /** Stops replaying {@code auth}: the server refused it, or it was never sent. */
    void forgetAuth(AuthPacket auth) {
        auths.remove(auth);
    }

    /**
     * Ends the session: closes it on the server (waiting up to the deadline for the reply), then
     * the connection. Idempotent.
     *
     * <p>{@code closing} is set before the close-session request goes out: the server drops the
     * socket right after answering, and the loop must read that as the end, not as a
     * disconnection to recover from. The loop only looks at {@code closing} when woken, and
     * nothing wakes it until the request is answered or the connection dies.
     */
    public void close(long deadlineNanos) {
        boolean first;
        unwatcher.stop(); // the session's close takes every server-side watch with it
        lock.lock();
        try {
            first = !closing;
            closing = true;
            if (attempt != null) {
                closeQuietly(attempt); // an attempt in progress ends now, whatever the peer does
            }
        } finally {
            lock.unlock();
        }
        if (first) {
            Connection c = published;
            if (c != null && !c.isClosed()) {
                Call<Void> call = Call.of(OpCode.CLOSE_SESSION, null, deadlineNanos);
                c.submit(call);
                try {
                    call.await();
                } catch (Failure ignored) {
                    // the session ends here whatever the server says
                }
            }
            lock.lock();
            try {
                if (live != null) {
                    live.close(null);
                }
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            Thread t = loop;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
        awaitLoopEnd(deadlineNanos);
        unwatcher.awaitEnd(deadlineNanos);
        Failure.SessionEnded closed = Failure.SessionEnded.closed();
        states.publishClosed(); // before the callers can see ZkException.Closed
        lock.lock();
        try {
            if (ended == null || ended.end() != SessionEnd.CLOSED) {
                ended = closed; // calls after close() say so, even after an expiry
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        // background jobs now fail with Closed wherever they call: interrupt them and wait, as
        // long as for the listeners (a job that ignores its interrupt is left behind)
        jobs.close(Math.max(deadlineNanos, System.nanoTime() + LISTENER_DRAIN_NANOS));
        // listeners hear CLOSED before close() returns (bounded: a stuck listener is left behind)
        states.awaitDelivered(Math.max(deadlineNanos, System.nanoTime() + LISTENER_DRAIN_NANOS));
    }

    private void awaitLoopEnd(long deadlineNanos) {
        Threads.joinUntil(loop, deadlineNanos);
    }

    /**
     * Starts a fresh session after this one ended (not after close): new id, no watches, no
     * ephemeral nodes. Auth credentials are kept.
     *
     * @throws IllegalStateException if the session has not ended, or was closed
     */
    public void restart() {
        lock.lock();
        try {
            if (ended == null) {
                throw new IllegalStateException("the session has not ended");
            }
            if (closing) {
                throw new IllegalStateException("the client is closed");
            }
            ended = null;
            info = SessionInfo.NONE;
            lastZxid = 0;
            serverTerminalCode = 0;
            saslRefused = null;
            if (sasl != null) {
                sasl.reset();
            }
            sessionMoved = false;
            takeover.reset();
            watches.reopen();
            states.reopen();
        } finally {
            lock.unlock();
        }
        start();
    }

    // ---- the loop

    /**
     * The session's story, on its own thread: until the session ends, pick a host and connect
     * (or continue on the read-write connection a probe found), decide on the handshake, take the
     * session on and serve it until the connection dies, then back off and try again.
     */
    private void run() {
        int failures = 0;
        long lastHeard = System.nanoTime();
        Connection next = null;
        try {
            while (true) {
                Failure.SessionEnded end = checkEnd(lastHeard);
                if (end != null) {
                    if (next != null) {
                        next.close(null);
                    }
                    finish(end);
                    return;
                }
                Connection c = next != null ? next : connectToNextHost(lastHeard);
                next = null;
                HandshakeVerdict verdict =
                        c == null ? HandshakeVerdict.TRY_ANOTHER : HandshakeVerdict.of(c.handshake(), info);
                if (verdict == HandshakeVerdict.EXPIRED) {
                    c.close(null);
                    finish(Failure.SessionEnded.expired());
                    return;
                }
                if (verdict == HandshakeVerdict.TRY_ANOTHER) {
                    if (c != null) {
                        c.close(null);
                    }
                    pause(backoffNanos(++failures, lastHeard));
                    continue;
                }
                if (!adopt(c, c.handshake())) {
                    lastHeard = c.lastReplyNanos(); // the server answered the handshake
                    lastHeardNanos = lastHeard;
                    if (saslRefused == null) {
                        pause(backoffNanos(++failures, lastHeard)); // SASL did not finish here: back off
                    }
                    continue;
                }
                failures = 0;
                noteFailedAttempt(null);
                next = serve(c, c.handshake().readOnly());
                lastHeard = c.lastReplyNanos();
                lastHeardNanos = lastHeard;
                if (takenOver(c)) {
                    if (next != null) {
                        next.close(null); // a read-write connection the probe found: not to be used
                    }
                    finish(Failure.SessionEnded.expired());
                    return;
                }
                if (!closing && serverTerminalCode == 0) {
                    states.publish(SessionState.SUSPENDED);
                }
                if (config.yieldOnTakeover() && takeover.rodeOutKick() && next == null) {
                    pause(TakeoverGuard.NEW_HOLDER_PAUSE_NANOS); // the old holder resumes first, in turn
                }
            }
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "session loop failed; the client closes", t);
            finish(Failure.SessionEnded.clientFailed(t));
        }
    }

    /** One attempt at the next host in turn; null if it failed (logged at DEBUG). */
    private Connection connectToNextHost(long lastHeardNanos) {
        InetSocketAddress address = hosts.next();
        try {
            return attempt(
                    address,
                    connectRequest(info.resumableId(), config.canBeReadOnly()),
                    attemptTimeoutMillis(lastHeardNanos));
        } catch (IOException | RuntimeException e) {
            noteFailedAttempt(e);
            LOG.log(Level.DEBUG, () -> "cannot connect to " + address + ": " + e);
            return null;
        }
    }

    /**
     * One connection attempt: TCP connect and handshake before one deadline, {@code budgetMillis}
     * from now. Its socket is where {@link #close(long)} finds it, so closing the client ends the
     * attempt at once.
     */
    private Connection attempt(InetSocketAddress address, ConnectRequest request, int budgetMillis) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(budgetMillis);
        Socket socket = config.transport().newSocket();
        lock.lock();
        try {
            if (closing) {
                throw new SocketException("the client is closing");
            }
            attempt = socket;
        } finally {
            lock.unlock();
        }
        long start = events.sessionTraced() ? System.nanoTime() : 0;
        try {
            Connection c = Connection.open(
                    config.transport(),
                    socket,
                    address,
                    request,
                    deadline,
                    config.maxFrameBytes(),
                    config.initialXid(),
                    this);
            if (start != 0) {
                events.connectionAttempt(address, request.sessionId(), start, null);
            }
            return c;
        } catch (IOException | RuntimeException e) {
            if (start != 0) {
                events.connectionAttempt(address, request.sessionId(), start, e);
            }
            throw e;
        } finally {
            lock.lock();
            try {
                attempt = null;
            } finally {
                lock.unlock();
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with it
        }
    }

    private ConnectRequest connectRequest(long id, boolean readOnly) {
        int timeout = (int) Math.min(Integer.MAX_VALUE, config.sessionTimeout().toMillis());
        return new ConnectRequest(
                0, lastZxid, timeout, id, id == 0 ? SessionInfo.NONE.password() : info.password(), readOnly);
    }

    /**
     * Takes on the session the handshake granted, then readies the connection for callers: SASL
     * first (if configured), then the auth replay and the watch re-arming, then publishes it.
     *
     * @return false if the connection was dropped instead (SASL did not complete on it; if SASL
     *     was refused, {@link #saslRefused} says why)
     */
    private boolean adopt(Connection c, ConnectResponse handshake) {
        SessionInfo before = info;
        if (handshake.sessionId() != before.id()) {
            LOG.log(
                    Level.INFO,
                    () -> "session 0x" + Long.toHexString(handshake.sessionId()) + " established with " + c.server()
                            + (handshake.readOnly() ? " (read-only)" : ""));
        }
        info = new SessionInfo(
                handshake.sessionId(),
                handshake.passwd(),
                handshake.timeOut(),
                before.seenReadWrite() || !handshake.readOnly());
        lock.lock();
        try {
            if (closing) {
                // close() gave up waiting for this connect: it must not bring the session back
                c.close(null);
                return true;
            }
            live = c;
        } finally {
            lock.unlock();
        }
        c.start();
        if (sasl != null && !authenticate(c)) {
            return false;
        }
        for (AuthPacket auth : auths) {
            c.submit(Call.reserved(OpCode.AUTH, auth, Xids.AUTH, Call.NO_DEADLINE));
        }
        rearmWatches(c);
        lock.lock();
        try {
            published = c;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        states.publish(handshake.readOnly() ? SessionState.READ_ONLY : SessionState.CONNECTED);
        return true;
    }

    /**
     * Runs the SASL exchange on a started connection that carries nothing else yet (pings are held
     * meanwhile: a server that requires SASL ends the session on any other request), within two
     * thirds of the session timeout, the connection's own read timeout.
     *
     * @return whether the connection may carry calls; if not, it is closed
     */
    private boolean authenticate(Connection c) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(1, sessionTimeoutMillis() * 2L / 3));
        c.holdPings(true);
        SaslExchange.Result result = sasl.run(c, deadline);
        c.holdPings(false);
        if (result instanceof SaslExchange.Result.Authenticated) {
            return true;
        }
        if (result instanceof SaslExchange.Result.Refused refused) {
            saslRefused = refused.failure();
        } else if (result instanceof SaslExchange.Result.Dropped dropped && !closing) {
            LOG.log(Level.INFO, () -> "SASL authentication with " + c.server() + " did not finish: " + dropped.cause());
        }
        lock.lock();
        try {
            if (live == c) {
                live = null;
            }
        } finally {
            lock.unlock();
        }
        c.close(null);
        return false;
    }

    /**
     * Waits for the connection to die (or for a reason to drop it); on a read-only connection,
     * probes the other hosts for a read-write server meanwhile ({@link ReadWriteProbe}).
     *
     * @return a connection to a read-write server, handshake done, to continue on; or null
     */
    private Connection serve(Connection c, boolean readOnly) throws InterruptedException {
        ReadWriteProbe probe = readOnly
                ? new ReadWriteProbe(
                        hosts,
                        host -> attempt(
                                host,
                                connectRequest(info.resumableId(), false),
                                attemptTimeoutMillis(System.nanoTime())))
                : null;
        Connection readWrite = null;
        lock.lock();
        try {
            while (!c.isClosed() && !closing && serverTerminalCode == 0 && !sessionMoved) {
                if (probe == null) {
                    changed.await();
                } else if (probe.nanosUntilDue() > 0) {
                    changed.awaitNanos(probe.nanosUntilDue());
                } else {
                    lock.unlock();
                    try {
                        readWrite = probe.probe(c.server());
                    } finally {
                        lock.lock();
                    }
                    if (readWrite != null) {
                        break;
                    }
                }
            }
            lastHeardNanos = c.lastReplyNanos(); // before published goes: lastHeardNanos() reads one or the other
            published = null;
            live = null;
        } finally {
            lock.unlock();
        }
        boolean moved = sessionMoved;
        sessionMoved = false;
        c.close(moved ? new TakeoverGuard.Moved() : null);
        return readWrite;
    }

    /** Whether the connection that just ended shows that another process took the session ({@link TakeoverGuard}). */
    private boolean takenOver(Connection c) {
        if (!config.yieldOnTakeover() || closing || serverTerminalCode != 0) {
            return false;
        }
        if (!takeover.connectionEnded(c.closeCause(), sessionTimeoutMillis(), System.nanoTime())) {
            return false;
        }
        LOG.log(
                Level.WARNING,
                () -> "session 0x" + Long.toHexString(info.id()) + " was taken over by another connection ("
                        + TakeoverGuard.KICKS + " times closed by its server and resumed within the session"
                        + " timeout); giving it up instead of taking it back: the session ends here as expired");
        return true;
    }

    private Failure.SessionEnded checkEnd(long lastHeardNanos) {
        if (closing) {
            return Failure.SessionEnded.closed();
        }
        Failure.SessionEnded refused = saslRefused;
        if (refused != null) {
            return refused; // before the server's code, which the refusal may also have set: it says more
        }
        int code = serverTerminalCode;
        if (code != 0) {
            return Failure.SessionEnded.byServer(code);
        }
        int timeout = sessionTimeoutMillis();
        if (info.isResumable() && System.nanoTime() - lastHeardNanos > TimeUnit.MILLISECONDS.toNanos(timeout)) {
            LOG.log(
                    Level.WARNING,
                    () -> "no server answered for the session timeout of " + timeout + " ms: session 0x"
                            + Long.toHexString(info.id()) + " has expired");
            return Failure.SessionEnded.expired();
        }
        return null;
    }

    /**
     * The session timeout the loop judges silence by: the one granted, but never more than the
     * one asked for (a server that grants weeks must not keep the client waiting that long; a
     * real server grants at most what was asked unless its minimum is higher).
     */
    private int sessionTimeoutMillis() {
        long asked = Math.max(1, config.sessionTimeout().toMillis());
        return (int) Math.min(info.timeoutMillis(), Math.min(Integer.MAX_VALUE, asked));
    }

    private int attemptTimeoutMillis(long lastHeardNanos) {
        long sessionMillis = info.timeoutMillis() > 0
                ? sessionTimeoutMillis()
                : config.sessionTimeout().toMillis();
        return reconnect.attemptTimeoutMillis(sessionMillis, info.isResumable(), lastHeardNanos);
    }

    private long backoffNanos(int failures, long lastHeardNanos) {
        return reconnect.backoffNanos(failures, sessionTimeoutMillis(), info.isResumable(), lastHeardNanos);
    }

    private void pause(long nanos) throws InterruptedException {
        if (nanos <= 0) {
            return;
        }
        lock.lock();
        try {
            long deadline = System.nanoTime() + nanos;
            long remaining;
            while (!closing && (remaining = deadline - System.nanoTime()) > 0) {
                changed.awaitNanos(remaining);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the session. The reason and the terminal state change together under the lock, so a
     * caller that gets the terminal exception always finds {@code state()} terminal too, and
     * whoever sees the terminal state finds the reason in {@link #ended()}.
     */
    private void finish(Failure.SessionEnded end) {
        if (sasl != null) {
            sasl.close(); // the session is over: so is its JAAS login
        }
        lock.lock();
        try {
            // both under the lock: whoever sees the terminal state and asks ended() why gets the
            // answer, and whoever fails with it finds the state already published
            ended = end;
            watches.endAll(end); // before the state: who sees it terminal finds every watch ended
            states.publish(stateFor(end));
            if (published != null) {
                lastHeardNanos = published.lastReplyNanos();
            }
            published = null;
            if (live != null) {
                live.close(null);
                live = null;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private static SessionState stateFor(Failure.SessionEnded end) {
        return end.end().state;
    }

    // ---- watch re-arming

    private void rearmWatches(Connection c) {
        long start = events.sessionTraced() ? System.nanoTime() : 0;
        Map<WatchKind, List<String>> paths = watches.snapshot();
        int requests = WatchRearm.rearm(c, paths, lastZxid, config.maxFrameBytes());
        if (start != 0 && requests > 0) {
            int count = 0;
            for (List<String> p : paths.values()) {
                count += p.size();
            }
            events.rearmed(info.id(), count, requests, start);
        }
    }

    /** Called by the watch registry when no local watch needs a server-side one any more. */
    private void unwatchLater(WatchKind kind, String serverPath) {
        unwatcher.enqueue(kind, serverPath);
    }

    /** Removes a server-side watch that no local watch needs any more; see {@link Unwatcher#remove}. */
    public void removeServerWatch(WatchKind kind, String serverPath) {
        unwatcher.remove(kind, serverPath);
    }

    // ---- Connection.Listener: called on the reader thread

    @Override
    public void onNotification(WatcherEvent event, long zxid) {
        watches.dispatch(event, zxid);
    }

    @Override
    public void onZxid(long zxid) {
        if (zxid > lastZxid) {
            lastZxid = zxid;
        }
    }

    @Override
    public void onSessionError(int code) {
        if (code == ErrorCode.SESSION_MOVED.code()) {
            sessionMoved = true; // another connection holds the session now: drop this one
        } else {
            serverTerminalCode = code; // an end (SessionEnd says which), or a refused auth packet
        }
        signal();
    }

    @Override
    public void onClosed(Connection connection, Throwable cause) {
        if (cause != null && !closing) {
            LOG.log(Level.INFO, () -> "connection to " + connection.server() + " lost: " + cause);
        }
        signal();
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
