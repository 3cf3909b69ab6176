package io.loomzk.client;

import io.loomzk.client.internal.ClientConfig;
import io.loomzk.client.internal.HostList;
import io.loomzk.client.internal.TlsHandshakeFailure;
import io.loomzk.client.internal.Transport;
import io.loomzk.protocol.AuthPacket;
import io.loomzk.protocol.Frames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Settings for a {@link ZkClient}, from {@link ZkClient#builder(String)}; {@link #build()} connects.
 * Not thread-safe: one thread configures a builder, then builds. A builder can build several
 * clients; each gets its own copy of the settings.
 */
public final class ZkClientBuilder {
    private final String connectString;
    private Duration sessionTimeout = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(15);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int maxFrameBytes = Frames.DEFAULT_MAX_FRAME_BYTES;
    private final List<AuthPacket> auths = new ArrayList<>();
    private boolean canBeReadOnly;
    private int watchBufferCapacity = 65_536;
    private long watchBufferBytes = 4L << 20;
    private Duration slowConsumerWarning = Duration.ofSeconds(10);
    private int initialXid = 1;
    private boolean failFastWhenDisconnected;
    private boolean createChroot;
    private SaslSettings sasl;
    private boolean followEnsembleConfig;
    private final List<Consumer<SessionState>> listeners = new ArrayList<>();
    private Dialer dialer = Dialer.direct();
    private TlsSettings tls;
    private SessionCredentials handover;
    private boolean yieldOnTakeover;
    private ClientMetricsListener metricsListener;

    ZkClientBuilder(String connectString) {
        this.connectString = Objects.requireNonNull(connectString, "connectString");
    }

    /** The session timeout to ask the servers for (they bound it by their tick time); default 30 s. */
    public ZkClientBuilder sessionTimeout(Duration timeout) {
        this.sessionTimeout = positive(timeout, "sessionTimeout");
        return this;
    }

    /** How long {@link #build()} waits for the first session; default 15 s. */
    public ZkClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = positive(timeout, "connectTimeout");
        return this;
    }

    /**
     * How long one call may wait in total, for a connection and then for its reply; default
     * 30 s. Always finite.
     */
    public ZkClientBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = positive(timeout, "requestTimeout");
        return this;
    }

    /**
     * The largest frame this client sends, in bytes; default 1 MiB - 1, the servers' default
     * {@code jute.maxbuffer}. Larger requests fail with {@link IllegalArgumentException}
     * before they are sent. Replies may be {@value Frames#REPLY_OVERHEAD_BYTES} bytes larger
     * (a reply's header, length field and stat), so any data this client could write it can
     * read back; a larger reply (a big {@code multi} or {@code multiRead}, the children of a
     * node with very many) fails only its own call with {@link ZkException.ReplyTooLarge},
     * and the connection skips it and stays up.
     */
    public ZkClientBuilder maxFrameBytes(int bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 1024: " + bytes);
        }
        this.maxFrameBytes = bytes;
        return this;
    }

    /** Credentials to add to the session at once and after every reconnect, e.g. {@code "digest"}. */
    public ZkClientBuilder auth(String scheme, byte[] credentials) {
        auths.add(new AuthPacket(0, Objects.requireNonNull(scheme, "scheme"), credentials.clone()));
        return this;
    }

    /**
     * Authenticates with SASL (DIGEST-MD5 or Kerberos) on every connection, before any other
     * request; see {@link SaslSettings}. Default: no SASL. A refused login ends the session as
     * {@link SessionState#AUTH_FAILED}, and {@link #build()} then throws
     * {@link ZkException.AuthFailed} with the reason.
     */
    public ZkClientBuilder sasl(SaslSettings settings) {
        this.sasl = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /** Whether a read-only server (one that lost its quorum) may serve this session; default false. */
    public ZkClientBuilder canBeReadOnly(boolean allowed) {
        this.canBeReadOnly = allowed;
        return this;
    }

    /**
     * How many events each {@link PersistentWatch} buffers before it overflows; default 65,536.
     * {@link #watchBufferBytes} bounds the same buffer by bytes.
     */
    public ZkClientBuilder watchBufferCapacity(int events) {
        if (events < 1) {
            throw new IllegalArgumentException("watchBufferCapacity must be positive: " + events);
        }
        this.watchBufferCapacity = events;
        return this;
    }

    /**
     * Whether a call fails at once with {@link ZkException.ConnectionLoss} (not applied) when
     * the client has no connection, as Apache's client does, instead of waiting for one;
     * default false.
     *
     * <p>By default a call made while the session is {@link SessionState#SUSPENDED} (or while
     * a new connection is being readied) waits for a connection and then for its reply,
     * together at most the {@linkplain #requestTimeout request timeout}: the right thing for
     * code on virtual threads, which loses nothing by waiting. With this set, such a call
     * throws at once; a call already sent when the connection drops fails as it would
     * anyway. Calls on an expired or closed session fail with that reason either way.
     */
    public ZkClientBuilder failFastWhenDisconnected(boolean failFast) {
        this.failFastWhenDisconnected = failFast;
        return this;
    }

    /**
     * How many bytes the events buffered by each {@link PersistentWatch} may hold before it
     * overflows, as estimated from their paths (two bytes a character plus 80 per event);
     * default 4 MiB. Whichever of this and {@link #watchBufferCapacity} is reached first
     * overflows the watch: it is removed and its consumer gets
     * {@link ZkException.WatchOverflow}.
     */
    public ZkClientBuilder watchBufferBytes(long bytes) {
        if (bytes < 1024) {
            throw new IllegalArgumentException("watchBufferBytes must be at least 1024: " + bytes);
        }
        this.watchBufferBytes = bytes;
        return this;
    }

    /**
     * How long a consumer may fall behind before the client warns, once, naming it: a
     * {@link PersistentWatch} whose buffered events were not all taken for this long (or that
     * holds half of its count or byte bound, whichever comes first), or a session state listener
     * still busy, or with state changes waiting, for this long. The warning is a WARNING log line
     * with the watch's path (never any data), the {@code io.loomzk.SlowConsumer} flight-recorder
     * event and {@link ClientMetricsListener#slowConsumer}; it comes again only after the backlog
     * has drained. A watchdog thread of the client looks about four times per period (at most
     * once a second), and only while there is something to look at. Default 10 seconds.
     */
    public ZkClientBuilder slowConsumerWarning(Duration after) {
        this.slowConsumerWarning = positive(Objects.requireNonNull(after, "after"), "slowConsumerWarning");
        return this;
    }

    /** A listener that sees every session state transition, from the first connection on. */
    public ZkClientBuilder stateListener(Consumer<SessionState> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Whether {@link #build()} creates the connect string's chroot (and its ancestors) as
     * persistent nodes with {@link Acls#OPEN_UNSAFE} if it does not exist; default false, as in
     * the official client: a missing chroot then makes every call under it fail with
     * {@link ZkException.NoNode}.
     */
    public ZkClientBuilder createChroot(boolean create) {
        this.createChroot = create;
        return this;
    }

    /**
     * Takes over an existing session instead of starting a new one: the first handshake asks to
     * resume session {@code credentials.id()} with its password, so its ephemeral nodes, and the
     * watches this client then sets, carry on (for a process that restarts quickly, or hands its
     * work to another). {@link #build()} fails with {@link ZkException.SessionExpired} if the
     * ensemble no longer knows the session (or the password is wrong: servers answer both the
     * same way).
     *
     * <p>A client still holding the session finds its connection closed by the server, reconnects
     * and takes the session back: it cannot tell a take-over from a network cut. Hand over from a
     * process that has stopped, or stop the old client right after; or build both with
     * {@link #yieldSessionOnTakeover(boolean)}, so that the old holder gives the session up. This
     * client does not count such closes for one session timeout, so it is the one that keeps it.
     * Watches of the old client do not move: set them again on this one.
     *
     * @param credentials from {@link ZkClient#sessionCredentials()} of the old holder; a secret
     */
    public ZkClientBuilder session(SessionCredentials credentials) {
        this.handover = Objects.requireNonNull(credentials, "credentials");
        return this;
    }

    /**
     * Whether this client gives its session up when another client appears to have taken it over
     * (default false). The server gives the old holder no error: it closes its connection, and a
     * reconnect takes the session back, which closes the new holder's connection in turn. With
     * this on, a connection that served the session and was closed by its server (an end of
     * stream, not a timeout or a reset) counts as a kick, and at the third kick within one session
     * timeout the session ends as {@link SessionState#EXPIRED}, without being closed on the
     * servers. Off by default because three network cuts or server restarts within one session
     * timeout look exactly the same, and a client must ride through those: turn it on only in
     * applications that hand sessions over ({@link #session(SessionCredentials)}).
     */
    public ZkClientBuilder yieldSessionOnTakeover(boolean yield) {
        this.yieldOnTakeover = yield;
        return this;
    }

    /**
     * {@link #session(SessionCredentials)} from an id and password (copied; never printed).
     *
     * @throws IllegalArgumentException if {@code id} is 0 or the password is empty or over 64 bytes
     */
    public ZkClientBuilder session(long id, byte[] password) {
        return session(new SessionCredentials(id, Objects.requireNonNull(password, "password")));
    }

    /**
     * A listener for metrics: every call's outcome and latency, connection attempts, state
     * changes and watch re-arms (see {@link ClientMetricsListener}; the {@code zk-micrometer}
     * module has one). Default none: then the client reads no clock for it.
     */
    public ZkClientBuilder metricsListener(ClientMetricsListener listener) {
        this.metricsListener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Whether the client follows the ensemble's dynamic configuration (ZooKeeper 3.5+): it
     * watches {@code /zookeeper/config} and, after every reconfiguration, replaces its server list
     * with the members' client addresses ({@link ZkClient#updateServerList}), so a client built
     * with one server finds the others, and leaves servers that were removed. Default false: the
     * connect string is the list. A server list only changes when a configuration names client
     * addresses ({@code server.<id>=...;<clientPort>}).
     */
    public ZkClientBuilder followEnsembleConfig(boolean follow) {
        this.followEnsembleConfig = follow;
        return this;
    }

    /**
     * How connections are opened (default {@link Dialer#direct()}): through a proxy, with other
     * socket options, or over a test transport. With {@link #tls}, TLS runs over the socket the
     * dialer connected.
     */
    public ZkClientBuilder dialer(Dialer dialer) {
        this.dialer = Objects.requireNonNull(dialer, "dialer");
        return this;
    }

    /**
     * Talks TLS to every server, as {@code settings} say (ZooKeeper's {@code secureClientPort},
     * 3.5 and newer); never plain text. The server's certificate must be trusted and, unless
     * turned off, name the host of the connect string. Key and trust files are read again before
     * every connection, so rotated files take effect at the next one. A TLS failure is a
     * {@link ZkException.TlsFailure} from {@link #build()}.
     */
    public ZkClientBuilder tls(TlsSettings settings) {
        this.tls = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /** Test seam: the first xid (to exercise the wrap-around). */
    ZkClientBuilder initialXid(int xid) {
        this.initialXid = xid;
        return this;
    }

    /**
     * Connects and blocks until a session is established.
     *
     * @throws IllegalArgumentException if the connect string is malformed
     * @throws ZkException.ConnectionLoss if no server accepted a session within the connect timeout
     * @throws ZkException.AuthFailed if a server rejected the credentials
     * @throws ZkException.TlsFailure with TLS: at once if the key or trust files do not load; as
     *     soon as every server in a row refused the TLS handshake (untrusted, expired or misnamed
     *     certificate, no common protocol, client certificate refused, a plain-text port); or at
     *     the connect timeout, instead of {@code ConnectionLoss}, if the last attempt failed in TLS
     * @throws ZkException.SessionExpired if a {@linkplain #session(SessionCredentials) hand-over}
     *     asked for a session the ensemble no longer knows
     * @throws ZkException.Interrupted if interrupted while waiting (the flag stays set)
     */
    public ZkClient build() {
        Transport transport = new Transport(dialer, tls == null ? null : tls.source());
        try {
            transport.check();
        } catch (TlsHandshakeFailure e) {
            throw ZkException.TlsFailure.of(e);
        }
        // The shuffle spreads sessions over the servers; it needs no cryptographic randomness, and
        // SecureRandom's provider start-up costs a short-lived program (the shell) ~0.1 s.
        HostList hosts = HostList.parse(connectString, new Random());
        ClientConfig config = new ClientConfig(
                hosts,
                sessionTimeout,
                connectTimeout,
                requestTimeout,
                maxFrameBytes,
                List.copyOf(auths),
                canBeReadOnly,
                watchBufferCapacity,
                watchBufferBytes,
                initialXid,
                failFastWhenDisconnected,
                sasl == null ? null : sasl.toConfig(),
                followEnsembleConfig,
                transport,
                yieldOnTakeover,
                slowConsumerWarning);
        return ZkClient.connect(config, List.copyOf(listeners), createChroot, metricsListener, handover);
    }

    private static Duration positive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }
}
