package io.loomzk.testing;

import io.loomzk.protocol.Frames;
import io.loomzk.protocol.OpCode;
import io.loomzk.testing.internal.RawSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A TCP proxy on loopback between ZooKeeper clients and one server that understands ZooKeeper
 * frames: it traces every frame in both directions and injects faults on command.
 *
 * <pre>{@code
 * try (ZkProxy proxy = ZkProxy.builder(server.connectString()).trace(System.out::println).start()) {
 *     ZkClient client = ZkClient.builder(proxy.connectString()).build();
 *     ZkProxy.Trigger cut = proxy.cutAfterReplyTo(OpCode.CREATE, OpCode.CREATE2);
 *     // the create is applied by the server, but the client only sees its connection drop
 *     ...
 * }
 * }</pre>
 *
 * <p><b>Trace.</b> One line per frame and direction, e.g. {@code [zk-proxy:40123 #1] c->s xid=3
 * CREATE /a CreateRequest[...]} and {@code [zk-proxy:40123 #1] s->c xid=3 zxid=0x2 OK CREATE
 * CreateResponse[path=/a]}, plus a line when a connection opens, closes or is cut. Lines go to the
 * sink given to {@link Builder#trace(Consumer)}, else to the {@link System.Logger} named after
 * this class at {@code DEBUG} (bodies are decoded only when that level is enabled). The sink is
 * called from the proxy's reader threads, concurrently, and must be thread-safe.
 *
 * <p><b>Faults</b> apply to every connection, current and future, until {@link #resume()}:
 * {@link #cutAll()}, {@link #refuseNewConnections()}, {@link #blackhole()}, {@link #delay(Duration)}
 * and {@link #cutAfterReplyTo(OpCode, OpCode...)}. Fault methods are thread-safe and do not wait for
 * traffic ({@link #refuseNewConnections()} waits until the port is closed).
 *
 * <p><b>Threads.</b> Each connection has one virtual reader thread per direction, named
 * {@code zk-proxy-<port>-<n>-c2s} and {@code -s2c}; each reads a whole frame, applies the faults
 * and writes it on. Frames are never split, merged or reordered. A frame whose length prefix is
 * negative or above the maximum (64 MiB unless set) ends its connection.
 *
 * <p>Also a command-line tool: {@code java -cp <zk-testing, zk-protocol> io.loomzk.testing.ZkProxy
 * --listen 2182 --forward 127.0.0.1:2181} prints the trace to standard output.
 */
public final class ZkProxy implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ZkProxy.class.getName());
    private static final int UPSTREAM_CONNECT_MILLIS = 5_000;
    private static final int NO_XID = Integer.MIN_VALUE;

    /** The direction a frame travels. */
    public enum Direction {
        /** From the client to the server: requests (and the handshake). */
        CLIENT_TO_SERVER("c->s"),
        /** From the server to the client: replies, notifications (and the handshake's answer). */
        SERVER_TO_CLIENT("s->c");

        private final String arrow;

        Direction(String arrow) {
            this.arrow = arrow;
        }

        /** {@code c->s} or {@code s->c}, as in trace lines. */
        public String arrow() {
            return arrow;
        }
    }

    /**
     * A one-shot fault armed by {@link #cutAfterReplyTo(OpCode, OpCode...)}: it fires as it cuts
     * a connection (before the client can see the connection close). Thread-safe.
     */
    public static final class Trigger {
        private final Set<OpCode> ops;
        private final CountDownLatch fired = new CountDownLatch(1);

        private Trigger(Set<OpCode> ops) {
            this.ops = ops;
        }

        /** The op codes whose reply it waits for (the first request of any of them arms it). */
        public Set<OpCode> ops() {
            return ops;
        }

        /** Whether it has cut a connection. */
        public boolean hasFired() {
            return fired.getCount() == 0;
        }

        /**
         * Blocks until it has fired or {@code timeout} has passed.
         *
         * @return whether it fired
         * @throws InterruptedException if the calling thread is interrupted while waiting
         */
        public boolean await(Duration timeout) throws InterruptedException {
            return fired.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }

        private void fire() {
            fired.countDown();
        }

        @Override
        public String toString() {
            return "cut after reply to " + ops + (hasFired() ? " (fired)" : " (armed)");
        }
    }

    static {
        // Classes both reader threads of a new connection use: initialized here, so that the two
        // never race to initialize one (a virtual thread waiting on another's initialization is
        // pinned on Java 24+).
        for (Class<?> c : List.of(Direction.class, Frames.class, OpCode.class, FrameTracer.class, Link.class)) {
            try {
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    private final InetSocketAddress target;
    private final String targetName;
    private final String chroot;
    private final Consumer<String> sink;
    private final boolean alwaysDescribe;
    private final int maxFrameBytes;
    private final int port;
    private final String label;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger linkIds = new AtomicInteger();
    private final AtomicReference<Trigger> armedCut = new AtomicReference<>();

    /** Guards listener, acceptor and closed; its condition signals changes to blackholed. */
    private final ReentrantLock lock = new ReentrantLock();

    private final Condition faultsChanged = lock.newCondition();
    private volatile boolean blackholed;
    private volatile boolean stallingNew;
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean closed;
    private ServerSocket listener;
    private Thread acceptor;

    private ZkProxy(Builder b) {
        this.target = b.target;
        this.targetName = target.getHostString() + ":" + target.getPort();
        this.chroot = b.chroot;
        this.sink = b.sink;
        this.alwaysDescribe = b.sink != null;
        this.maxFrameBytes = b.maxFrameBytes;
        this.listener = bind(b.listenPort);
        this.port = listener.getLocalPort();
        this.label = "zk-proxy:" + port;
        this.acceptor = startAcceptor(listener);
    }

    /**
     * Starts a proxy to {@code target} ({@code host:port}; a chroot suffix is ignored) on a free
     * loopback port, tracing to the {@link System.Logger} at {@code DEBUG}.
     *
     * @throws UncheckedIOException if no loopback port can be bound
     */
    public static ZkProxy start(String target) {
        return builder(target).start();
    }

    /** A builder for a proxy to {@code target} ({@code host:port}; a chroot suffix is ignored). */
    public static Builder builder(String target) {
        return new Builder(target);
    }

    /** The loopback port clients connect to. */
    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:<port>} plus the chroot set on the builder, if any. */
    public String connectString() {
        return "127.0.0.1:" + port + chroot;
    }

    /** The number of open client connections. */
    public int connectionCount() {
        return links.size();
    }

    /** Closes every open connection now (both sockets); new connections are still accepted. */
    public void cutAll() {
        for (Link link : links) {
            link.close("cut by cutAll()");
        }
    }

    /**
     * Stops listening, so that new connections are refused as by a host with nothing on the port;
     * open connections are untouched. {@link #resume()} listens again on the same port.
     */
    public void refuseNewConnections() {
        lock.lock();
        try {
            if (listener != null) {
                closeQuietly(listener);
                listener = null;
                // A socket closed while a thread is blocked in accept() is released only when
                // that thread has left it; until then the kernel still queues connections.
                joinQuietly(acceptor, Duration.ofSeconds(2));
                trace(label + " refusing new connections");
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops forwarding in both directions without closing anything, like a network partition:
     * frames wait in the proxy (and then in the sockets' buffers) until {@link #resume()}.
     */
    public void blackhole() {
        lock.lock();
        try {
            blackholed = true;
            trace(label + " blackhole on");
        } finally {
            lock.unlock();
        }
    }

    /**
     * Accepts new connections but never answers them: what a client sends on one is read and
     * dropped, nothing reaches the server, and the connection stays open until {@link #cutAll()}
     * or {@link #close()}, like a server whose acceptor still runs but which lost track of the
     * connection (a 3.5 server does this to a client that connects while it is starting). Open
     * connections are untouched. After {@link #resume()}, new connections are forwarded again;
     * the stalled ones stay stalled.
     */
    public void stallNewConnections() {
        stallingNew = true;
        trace(label + " stalling new connections");
    }

    /** Delays every frame, in both directions, by {@code perFrame} before forwarding it. */
    public void delay(Duration perFrame) {
        if (perFrame.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + perFrame);
        }
        delay = perFrame;
        trace(label + " delay " + perFrame.toMillis() + " ms per frame");
    }

    /**
     * Arms a one-shot cut: the next request of {@code op} or of one of {@code orThese} (on any
     * connection) is forwarded, the server's reply to it is read and dropped, and that connection
     * is closed at once. The server has applied the request; the client never hears of it.
     * Replaces a cut armed earlier that has not claimed a request yet.
     *
     * <p>Op codes are matched exactly, and clients differ in which they send for one call: LoomZK
     * creates with {@link OpCode#CREATE2}, Apache's client with {@link OpCode#CREATE} unless asked
     * for a stat. {@code cutAfterReplyTo(OpCode.CREATE, OpCode.CREATE2)} covers both; the trace
     * shows what a client sends.
     *
     * @return the trigger, to wait until the cut has happened
     */
    public Trigger cutAfterReplyTo(OpCode op, OpCode... orThese) {
        Set<OpCode> ops = java.util.EnumSet.of(Objects.requireNonNull(op, "op"), orThese);
        Trigger trigger = new Trigger(Collections.unmodifiableSet(ops));
        armedCut.set(trigger);
        trace(label + " armed: " + trigger);
        return trigger;
    }

    /**
     * Ends every fault: forwards again (held frames first), no delay, listens again if it was
     * refusing, and disarms a pending cut.
     *
     * @throws UncheckedIOException if the port cannot be bound again (another process took it)
     */
    public void resume() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            blackholed = false;
            stallingNew = false;
            delay = Duration.ZERO;
            armedCut.set(null);
            for (Link link : links) {
                link.cutOnReplyXid = NO_XID;
            }
            if (listener == null) {
                listener = bind(port);
                acceptor = startAcceptor(listener);
            }
            faultsChanged.signalAll();
            trace(label + " resumed");
        } finally {
            lock.unlock();
        }
    }

    /** Stops listening, closes every connection, and waits briefly for its threads. Idempotent. */
    @Override
    public void close() {
        Thread accepting;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (listener != null) {
                closeQuietly(listener);
                listener = null;
            }
            accepting = acceptor;
            faultsChanged.signalAll();
        } finally {
            lock.unlock();
        }
        for (Link link : links) {
            link.close("proxy closed");
        }
        joinQuietly(accepting, Duration.ofSeconds(2));
    }

    @Override
    public String toString() {
        return label + " -> " + targetName;
    }

    /**
     * Runs a tracing proxy until the process is stopped: {@code --listen <port> --forward
     * <host:port>}; the trace goes to standard output.
     */
    public static void main(String[] args) throws InterruptedException {
        ZkProxy proxy;
        try {
            proxy = fromArgs(args, System.out::println);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(proxy::close, "zk-proxy-shutdown"));
        System.out.println(proxy + " (Ctrl-C stops)");
        new CountDownLatch(1).await();
    }

    /** Parses the command line and starts the proxy it describes. */
    static ZkProxy fromArgs(String[] args, Consumer<String> out) {
        String usage = "usage: ZkProxy --listen <port> --forward <host:port>";
        Integer listen = null;
        String forward = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + arg + "\n" + usage);
            }
            switch (arg) {
                case "--listen", "-l" -> {
                    try {
                        listen = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("not a port: " + args[i] + "\n" + usage, e);
                    }
                }
                case "--forward", "-f" -> forward = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + arg + "\n" + usage);
            }
        }
        if (forward == null) {
            throw new IllegalArgumentException("--forward is required\n" + usage);
        }
        return builder(forward)
                .listenPort(listen == null ? 0 : listen)
                .trace(out)
                .start();
    }

    private ServerSocket bind(int listenPort) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), listenPort), 64);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + listenPort, e);
        }
    }

    private Thread startAcceptor(ServerSocket socket) {
        return Thread.ofVirtual()
                .name("zk-proxy-" + socket.getLocalPort() + "-accept")
                .start(() -> acceptLoop(socket));
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.log(System.Logger.Level.WARNING, label + " stopped accepting", e);
                    closeQuietly(socket);
                }
                return;
            }
            if (closed) {
                closeQuietly(client);
                return;
            }
            Link link = new Link(linkIds.incrementAndGet(), client);
            links.add(link);
            if (stallingNew) {
                Thread.ofVirtual().name(link.name + "-stalled").start(link::stall);
            } else {
                Thread.ofVirtual().name(link.name + "-c2s").start(link::run);
            }
        }
    }

    private boolean describing() {
        return alwaysDescribe || LOG.isLoggable(System.Logger.Level.DEBUG);
    }

    private void trace(String line) {
        if (sink == null) {
            LOG.log(System.Logger.Level.DEBUG, line);
            return;
        }
        try {
            sink.accept(line);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "trace sink failed", e);
        }
    }

    /** Blocks while blackholed, then sleeps the delay. Returns false if the link closed meanwhile. */
    private boolean awaitForwarding(Link link) throws InterruptedException {
        if (blackholed) {
            lock.lock();
            try {
                while (blackholed && !link.closed.get() && !closed) {
                    faultsChanged.await();
                }
            } finally {
                lock.unlock();
            }
        }
        Duration d = delay;
        if (!d.isZero()) {
            Thread.sleep(d);
        }
        return !link.closed.get();
    }

    private static void joinQuietly(Thread thread, Duration timeout) {
        if (thread == null) {
            return;
        }
        try {
            if (!thread.join(timeout)) {
                LOG.log(System.Logger.Level.WARNING, "{0} did not end within {1}", thread.getName(), timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Closing to end a connection: nothing useful can be done with a failure.
        }
    }

    /**
     * One client connection and its server connection.
     *
     * <p>Thread safety: {@code cutOnReplyXid} is written by the c2s reader (and by resume) and read
     * by the s2c reader; {@code closed} makes {@link #close} happen once, from any thread.
     */
    private final class Link {
        final int id;
        final String name;
        final String prefix;
        final Socket client;
        final Socket server = new Socket();
        final FrameTracer tracer = new FrameTracer(maxFrameBytes);
        final AtomicBoolean closed = new AtomicBoolean();
        volatile int cutOnReplyXid = NO_XID;
        volatile Trigger cutTrigger;

        Link(int id, Socket client) {
            this.id = id;
            this.name = "zk-proxy-" + port + "-" + id;
            this.prefix = "[" + label + " #" + id + "] ";
            this.client = client;
        }

        /** Connects to the server, starts the s2c reader, and runs the c2s reader. */
        void run() {
            try {
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                server.connect(target, UPSTREAM_CONNECT_MILLIS);
            } catch (IOException e) {
                trace(prefix + "cannot reach " + targetName + ": " + e.getMessage());
                close("server unreachable");
                return;
            }
            trace(prefix + "open " + client.getRemoteSocketAddress() + " -> " + targetName);
            Thread.ofVirtual().name(name + "-s2c").start(() -> pump(Direction.SERVER_TO_CLIENT));
            pump(Direction.CLIENT_TO_SERVER);
        }

        /** Reads and drops what the client sends, never answering, until either side closes. */
        void stall() {
            trace(prefix + "open " + client.getRemoteSocketAddress() + " (stalled: never answered)");
            String why = "closed by client";
            try {
                InputStream in = client.getInputStream();
                byte[] dropped = new byte[4096];
                while (!closed.get() && in.read(dropped) >= 0) {
                    // dropped: a stalled connection never answers
                }
            } catch (IOException e) {
                why = closed.get() ? null : why + " (" + e.getMessage() + ")";
            } finally {
                if (why != null) {
                    close(why);
                }
            }
        }

        private void pump(Direction direction) {
            String why = "closed by " + (direction == Direction.CLIENT_TO_SERVER ? "client" : "server");
            try {
                InputStream in = (direction == Direction.CLIENT_TO_SERVER ? client : server).getInputStream();
                OutputStream out = (direction == Direction.CLIENT_TO_SERVER ? server : client).getOutputStream();
                while (!closed.get()) {
                    byte[] frame = readFrame(in);
                    if (frame == null) {
                        break;
                    }
                    if (!forward(direction, frame, out)) {
                        why = null;
                        break;
                    }
                }
            } catch (SocketException e) {
                why = closed.get() ? null : why + " (" + e.getMessage() + ")";
            } catch (IOException e) {
                why = e.getMessage();
            } catch (InterruptedException e) {
                why = "interrupted";
            } finally {
                if (why != null) {
                    close(why);
                }
            }
        }

        /** Traces a frame, applies the faults, writes it on; false if the link was closed instead. */
        private boolean forward(Direction direction, byte[] frame, OutputStream out)
                throws IOException, InterruptedException {
            boolean describe = describing();
            int len = frame.length - Frames.LENGTH_BYTES;
            if (direction == Direction.CLIENT_TO_SERVER) {
                FrameTracer.RequestFrame request = tracer.requestFrame(frame, Frames.LENGTH_BYTES, len, describe);
                if (describe) {
                    trace(prefix + direction.arrow() + " " + request.line());
                }
                Trigger armed = armedCut.get();
                if (armed != null
                        && request.op() != null
                        && armed.ops().contains(request.op())
                        && armedCut.compareAndSet(armed, null)) {
                    // Set before the request leaves, so the s2c reader knows when the reply comes.
                    cutTrigger = armed;
                    cutOnReplyXid = request.xid();
                }
            } else {
                FrameTracer.ReplyFrame reply = tracer.replyFrame(frame, Frames.LENGTH_BYTES, len, describe);
                if (describe) {
                    trace(prefix + direction.arrow() + " " + reply.line());
                }
                if (reply.xid() != null && reply.xid() == cutOnReplyXid) {
                    Trigger trigger = cutTrigger;
                    close(
                            "cut after the reply to xid " + reply.xid() + " of " + trigger.ops() + " (reply dropped)",
                            trigger);
                    return false;
                }
            }
            if (!awaitForwarding(this)) {
                return false;
            }
            out.write(frame);
            return true;
        }

        /** A whole frame, length prefix included; null at a clean end of stream. */
        private byte[] readFrame(InputStream in) throws IOException {
            byte[] prefix = in.readNBytes(Frames.LENGTH_BYTES);
            if (prefix.length == 0) {
                return null;
            }
            if (prefix.length < Frames.LENGTH_BYTES) {
                throw new IOException("stream ended inside a frame's length prefix");
            }
            int length;
            try {
                length = Frames.readLength(prefix, 0, maxFrameBytes);
            } catch (io.loomzk.protocol.ProtocolException e) {
                throw new IOException("bad frame: " + e.getMessage(), e);
            }
            byte[] frame = new byte[Frames.LENGTH_BYTES + length];
            System.arraycopy(prefix, 0, frame, 0, Frames.LENGTH_BYTES);
            if (in.readNBytes(frame, Frames.LENGTH_BYTES, length) < length) {
                throw new IOException("stream ended inside a " + length + "-byte frame");
            }
            return frame;
        }

        void close(String why) {
            close(why, null);
        }

        /**
         * Closes both sockets once. A cut's trigger fires after the link left the count and before
         * the sockets close, so that a client that sees its connection drop finds it fired.
         */
        void close(String why, Trigger firing) {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            links.remove(this);
            if (firing != null) {
                firing.fire();
            }
            closeQuietly(client);
            closeQuietly(server);
            lock.lock();
            try {
                faultsChanged.signalAll();
            } finally {
                lock.unlock();
            }
            trace(prefix + "closed: " + why);
        }
    }

    /** Settings for a {@link ZkProxy}; {@link #start()} starts it. Not thread-safe. */
    public static final class Builder {
        private final InetSocketAddress target;
        private int listenPort;
        private String chroot = "";
        private Consumer<String> sink;
        private int maxFrameBytes = 64 << 20;

        private Builder(String target) {
            List<InetSocketAddress> hosts = RawSession.hosts(Objects.requireNonNull(target, "target"));
            if (hosts.size() != 1) {
                throw new IllegalArgumentException("a proxy forwards to exactly one host:port, not " + target);
            }
            this.target = hosts.get(0);
        }

        /** The loopback port to listen on (default 0: a free one). */
        public Builder listenPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("not a port: " + port);
            }
            this.listenPort = port;
            return this;
        }

        /** A chroot ({@code /a/b}) that {@link #connectString()} appends; traffic is unchanged. */
        public Builder chroot(String chroot) {
            if (!chroot.isEmpty() && (!chroot.startsWith("/") || chroot.endsWith("/"))) {
                throw new IllegalArgumentException("a chroot starts with / and does not end with one: " + chroot);
            }
            this.chroot = chroot;
            return this;
        }

        /** Sends each trace line to {@code sink} (thread-safe) instead of the System.Logger. */
        public Builder trace(Consumer<String> sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** The largest frame body forwarded (default 64 MiB); a larger length prefix ends the connection. */
        public Builder maxFrameBytes(int max) {
            if (max < Frames.DEFAULT_MAX_FRAME_BYTES) {
                throw new IllegalArgumentException("maxFrameBytes below jute.maxbuffer's default: " + max);
            }
            this.maxFrameBytes = max;
            return this;
        }

        /**
         * Binds the port and starts accepting; returns at once.
         *
         * @throws UncheckedIOException if the port cannot be bound
         */
        public ZkProxy start() {
            return new ZkProxy(this);
        }
    }
}
