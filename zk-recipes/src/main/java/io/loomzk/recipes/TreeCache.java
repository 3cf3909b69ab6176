package io.loomzk.recipes;

import io.loomzk.client.Children;
import io.loomzk.client.NodeData;
import io.loomzk.client.OneShotWatch;
import io.loomzk.client.OpResult;
import io.loomzk.client.PersistentWatch;
import io.loomzk.client.ReadOp;
import io.loomzk.client.SessionState;
import io.loomzk.client.Watched;
import io.loomzk.client.WatchedEvent;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.protocol.AddWatchMode;
import io.loomzk.protocol.ErrorCode;
import io.loomzk.protocol.Stat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A local copy of a subtree (or of one node), kept current from the server, with a stream of its
 * changes.
 *
 * <pre>{@code
 * try (TreeCache<byte[]> cache = TreeCache.builder(zk, "/config").build()) {
 *     cache.start();
 *     cache.awaitInitialized(Duration.ofSeconds(10));
 *     Optional<CachedNode<byte[]>> node = cache.get("/config/feature");
 *     CacheEvent<byte[]> next = cache.next();   // blocks until something changes
 * }
 * }</pre>
 *
 * <h2>How it stays current</h2>
 * {@link #start()} adds one persistent recursive watch on the root (ZooKeeper 3.6+) and then
 * loads the subtree with many reads in flight at once on the client's one connection (a bounded
 * number of virtual threads; a node's children are listed only when its stat says it has any).
 * Every watch event makes the cache re-read that node; reads of one path never overlap, and a
 * read is applied only if it is newer than what the cache holds ({@code czxid}, then
 * {@code mzxid}), so each node goes through states the server had, in zxid order, and no change
 * is reported twice. On a 3.5 server, which has no persistent watches, the same cache arms a
 * one-shot data watch and a one-shot child watch on every node instead, transparently.
 *
 * <p>A re-armed watch does not replay what happened while the client was disconnected, so after
 * every reconnect ({@code SUSPENDED} to {@code CONNECTED}) the cache reads the whole subtree again
 * and reports the difference as created, changed and deleted events. After the session expires it
 * either starts a new session on the client ({@link Builder#rebuildOnExpiry}), watches again and
 * reports the difference, or ends its stream with the expiry.
 *
 * <h2>What it shows</h2>
 * Each node is a state the server had, never older than one shown before. The tree as a whole is
 * assembled from reads made at slightly different moments, as with any cache of ZooKeeper data;
 * it converges to the server's tree once changes stop.
 *
 * <h2>Threads</h2>
 * The cache owns a control thread ({@code zk-cache-<root>}), one that reads the watch, and virtual
 * threads for reads; {@link #close()} ends and joins them (bounded). The change stream is read by
 * the consumer on its own thread ({@link #next()}, {@link #poll(Duration)}); its backlog is bounded
 * in events and in bytes, and a consumer that falls behind gets an {@link CacheEvent.Type#OVERFLOW}
 * entry instead of stalling the cache.
 *
 * @param <V> the type of the cached values ({@code byte[]} unless a decoder is set)
 */
public final class TreeCache<V> implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TreeCache.class.getName());
    private static final Duration JOIN_BOUND = Duration.ofSeconds(5);
    private static final long EVENT_OVERHEAD_BYTES = 96;
    /** The most nodes one batched read asks for. */
    private static final int BATCH_NODES = 64;
    /** The estimated reply size a batched read stays under: a quarter of the default frame limit. */
    private static final long BATCH_BYTES = 256 * 1024;

    private enum Signal {
        SYNC,
        REWATCH,
        EXPIRED,
        CLOSE
    }

    static {
        // Loads the classes the cache's virtual threads (and the client's state-listener thread)
        // use on whatever thread initialises this class: loading a class later, on a virtual
        // thread, can pin its carrier.
        Objects.requireNonNull(Signal.values());
        Objects.requireNonNull(CacheEvent.Type.values());
        Objects.requireNonNull(Read.ABSENT);
        new EventBacklog<Object>(4, 1024)
                .publish(CacheEvent.change(CacheEvent.Type.INITIALIZED, "/", null, null, -1), 0);
        Objects.requireNonNull(CachedNode.class);
    }

    /** A read's outcome: the stat (null when the node is absent), data, and whether it was read. */
    private record Read(Stat stat, byte[] data) {
        static final Read ABSENT = new Read(null, null);
    }

    private final ZkClient client;
    private final String root;
    private final boolean statOnly;
    private final int maxDepth;
    private final Predicate<String> filter;
    private final Function<byte[], V> decoder;
    private final int maxInFlight;
    private final boolean rebuildOnExpiry;
    private final int rootDepth;
    /** Whether loads and resyncs batch their reads now; cleared by a sync worker after a loss. */
    private volatile boolean batching;
    /** The largest data length read so far (written racily by sync workers: an estimate). */
    private volatile int largestData = 1024;

    /** Written under applyLock only; read by anyone (weakly consistent, each entry whole). */
    private final ConcurrentSkipListMap<String, CachedNode<V>> nodes = new ConcurrentSkipListMap<>();
    /** Serialises applying reads with publishing their events. */
    private final ReentrantLock applyLock = new ReentrantLock();

    private final EventBacklog<V> backlog;
    /** Paths with a re-read running; the value is true when another re-read was asked meanwhile. */
    private final ConcurrentHashMap<String, Boolean> refreshing = new ConcurrentHashMap<>();
    /** The same, for child listings (3.5 fallback only). */
    private final ConcurrentHashMap<String, Boolean> listing = new ConcurrentHashMap<>();
    /** 3.5 fallback: the one-shot watch armed per path, by whoever armed it; removed by its waiter. */
    private final ConcurrentHashMap<String, OneShotWatch> dataWatches = new ConcurrentHashMap<>();

    private final ConcurrentHashMap<String, OneShotWatch> childWatches = new ConcurrentHashMap<>();
    /** Bounds the event-driven reads in flight. */
    private final Semaphore inFlight;
    /** Set by the control thread while a sync runs: the paths events touched since it began. */
    private volatile Set<String> touched;

    private final ExecutorService workers;
    private final LinkedBlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
    private final AtomicBoolean syncRequested = new AtomicBoolean();
    private final CountDownLatch initialized = new CountDownLatch(1);
    private final Consumer<SessionState> listener = this::onState;
    private final AtomicBoolean started = new AtomicBoolean();

    /** Written by the control thread; closed by it or by close(). */
    private volatile PersistentWatch watch;
    /** Written by the control thread: whether the server has persistent watches. */
    private volatile boolean persistent = true;

    private volatile boolean closed;
    /** Written by the state listener's thread only. */
    private SessionState lastState;

    private Thread control;
    private volatile Thread pump;

    private TreeCache(Builder<V> b) {
        this.client = b.client;
        this.root = b.root;
        this.statOnly = b.statOnly;
        this.maxDepth = b.maxDepth;
        this.filter = b.filter;
        this.decoder = b.decoder;
        this.maxInFlight = b.maxInFlight;
        this.rebuildOnExpiry = b.rebuildOnExpiry;
        this.batching = b.batchReads;
        this.rootDepth = depthOf(root);
        this.backlog = new EventBacklog<>(b.backlogEvents, b.backlogBytes, root, b.slowConsumerWarning.toNanos());
        this.inFlight = new Semaphore(b.maxInFlight);
        this.workers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("zk-cache-read-", 0).factory());
    }

    /**
     * Starts building a cache of {@code root} and everything below it, with raw {@code byte[]}
     * values. Nothing is read until {@link #start()}.
     */
    public static Builder<byte[]> builder(ZkClient client, String root) {
        return new Builder<>(Objects.requireNonNull(client, "client"), validRoot(root), Function.identity());
    }

    /** Options of a {@link TreeCache}. */
    public static final class Builder<V> {
        private final ZkClient client;
        private final String root;
        private Function<byte[], V> decoder;
        private boolean statOnly;
        private int maxDepth = Integer.MAX_VALUE;
        private Predicate<String> filter = p -> true;
        private int backlogEvents = 10_000;
        private long backlogBytes = 16L << 20;
        private int maxInFlight = 256;
        private boolean rebuildOnExpiry;
        private boolean batchReads = true;
        private Duration slowConsumerWarning = Duration.ofSeconds(10);

        private Builder(ZkClient client, String root, Function<byte[], V> decoder) {
            this.client = client;
            this.root = root;
            this.decoder = decoder;
        }

        private <W> Builder<W> copy(Function<byte[], W> newDecoder) {
            Builder<W> b = new Builder<>(client, root, newDecoder);
            b.statOnly = statOnly;
            b.maxDepth = maxDepth;
            b.filter = filter;
            b.backlogEvents = backlogEvents;
            b.backlogBytes = backlogBytes;
            b.maxInFlight = maxInFlight;
            b.rebuildOnExpiry = rebuildOnExpiry;
            b.batchReads = batchReads;
            b.slowConsumerWarning = slowConsumerWarning;
            return b;
        }

        /**
         * Keeps decoded values: {@code decoder} runs once per read node, on a cache thread (for
         * example to decompress or parse). If it throws, the node is cached with a null value and
         * the failure is logged.
         */
        public <W> Builder<W> decoder(Function<byte[], W> decoder) {
            return copy(Objects.requireNonNull(decoder, "decoder"));
        }

        /**
         * Keeps stats only (reads with {@code exists}, no data crosses the wire); values are null.
         * Loads then read node by node ({@code multiRead} has no stat-only read).
         */
        public Builder<V> statOnly() {
            this.statOnly = true;
            return this;
        }

        /** Caches nodes at most {@code depth} levels below the root (0: the root alone). */
        public Builder<V> maxDepth(int depth) {
            if (depth < 0) {
                throw new IllegalArgumentException("negative depth: " + depth);
            }
            this.maxDepth = depth;
            return this;
        }

        /**
         * Caches only the nodes below the root whose path {@code filter} accepts; a node it rejects
         * is not cached and neither is anything below it (its subtree is not read).
         */
        public Builder<V> filter(Predicate<String> filter) {
            this.filter = Objects.requireNonNull(filter, "filter");
            return this;
        }

        /**
         * Bounds the change stream's backlog (default 10,000 events and 16 MiB, counting each
         * event's old and new data): past either, the backlog is replaced by an overflow entry.
         */
        public Builder<V> backlog(int maxEvents, long maxBytes) {
            if (maxEvents < 1 || maxBytes < 1) {
                throw new IllegalArgumentException("backlog bounds must be positive");
            }
            this.backlogEvents = maxEvents;
            this.backlogBytes = maxBytes;
            return this;
        }

        /**
         * How long a consumer of the change stream may leave events waiting before a WARNING names
         * the cache's root (default 10 seconds): once it has taken an event, a backlog not drained
         * for this long, or holding half of either {@link #backlog} bound, is reported once, and
         * again only after it has drained. The check runs as events are added.
         */
        public Builder<V> slowConsumerWarning(Duration after) {
            if (after.isNegative() || after.isZero()) {
                throw new IllegalArgumentException("slowConsumerWarning must be positive: " + after);
            }
            this.slowConsumerWarning = after;
            return this;
        }

        /** The most reads the cache has in flight at once on the connection (default 256). */
        public Builder<V> maxInFlight(int reads) {
            if (reads < 1) {
                throw new IllegalArgumentException("maxInFlight must be positive");
            }
            this.maxInFlight = reads;
            return this;
        }

        /**
         * After the session expires, start a new session on the client ({@link
         * ZkClient#startNewSession()}), watch again and report the difference; otherwise (the
         * default) the change stream ends with {@link ZkException.SessionExpired}.
         */
        public Builder<V> rebuildOnExpiry(boolean rebuild) {
            this.rebuildOnExpiry = rebuild;
            return this;
        }

        /**
         * Whether loads and resyncs read many nodes per request ({@code multiRead}, ZooKeeper 3.6+;
         * default true). A batch is sized to stay under 256 KiB (a quarter of the default frame
         * limit) by the largest node seen so far; a node far larger than all before it (or a
         * client built with a much smaller {@code maxFrameBytes}) can still make one reply too big:
         * the client skips it ({@code ReplyTooLarge}) and the cache reads that batch node by node.
         * After that, or after any connection loss during a batched read, the cache reads node by
         * node for the rest of its life. Turn it off for trees whose node
         * sizes vary wildly.
         */
        public Builder<V> batchReads(boolean batch) {
            this.batchReads = batch;
            return this;
        }

        /** Builds the cache; {@link TreeCache#start()} starts it. */
        public TreeCache<V> build() {
            return new TreeCache<>(this);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Starts watching and loading in the background; returns at once. {@link #awaitInitialized}
     * waits for the load.
     *
     * @throws IllegalStateException if started before, or closed
     */
    public void start() {
        if (closed || !started.compareAndSet(false, true)) {
            throw new IllegalStateException("tree cache of " + root + " was already started or closed");
        }
        lastState = client.state();
        client.addStateListener(listener);
        control = Thread.ofVirtual().name("zk-cache-" + root).start(this::controlLoop);
    }

    /**
     * Blocks until the initial load has finished.
     *
     * @return false if the timeout passed first
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitInitialized(Duration timeout) throws InterruptedException {
        return initialized.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Stops: removes the server's watch (blocking for that request), ends the change stream
     * (buffered events can still be read) and joins the cache's threads, waiting at most a few
     * seconds. Idempotent; never throws for a connection problem.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.removeStateListener(listener);
        signals.add(Signal.CLOSE);
        PersistentWatch w = watch;
        if (w != null) {
            w.close();
        }
        cancelAll(dataWatches);
        cancelAll(childWatches);
        Thread c = control;
        workers.shutdown();
        // every loop checks `closed` within a second; interrupts are the last resort
        long deadline = System.nanoTime() + JOIN_BOUND.toNanos() / 2;
        try {
            join(c, deadline);
            join(pump, deadline);
            if (!workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                    || (c != null && c.isAlive())) {
                if (c != null) {
                    c.interrupt();
                }
                workers.shutdownNow();
                deadline = System.nanoTime() + JOIN_BOUND.toNanos() / 2;
                join(c, deadline);
                workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        backlog.end(null);
    }

    private static void join(Thread t, long deadline) throws InterruptedException {
        if (t != null) {
            t.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        }
    }

    private static void cancelAll(ConcurrentHashMap<String, OneShotWatch> armed) {
        for (OneShotWatch w : armed.values()) {
            w.cancel();
        }
    }

    // ---------------------------------------------------------------- reading the cache

    /** The cached node at {@code path}, if any; never blocks. */
    public Optional<CachedNode<V>> get(String path) {
        return Optional.ofNullable(nodes.get(path));
    }

    /** The names of the cached children of {@code path}, sorted; empty if none; never blocks. */
    public List<String> children(String path) {
        String prefix = path.equals("/") ? "/" : path + "/";
        List<String> names = new ArrayList<>();
        String key = nodes.ceilingKey(prefix);
        while (key != null && key.startsWith(prefix)) {
            int slash = key.indexOf('/', prefix.length());
            if (slash < 0) {
                if (key.length() > prefix.length()) {
                    names.add(key.substring(prefix.length()));
                }
                key = nodes.higherKey(key);
            } else {
                // a grandchild: skip its child's whole subtree ('0' sorts right after '/')
                key = nodes.ceilingKey(key.substring(0, slash) + '0');
            }
        }
        return Collections.unmodifiableList(names);
    }

    /** How many nodes the cache holds now. */
    public int size() {
        return nodes.size();
    }

    /**
     * The whole cached tree at one moment (no change is applied while it is copied), sorted by
     * path; immutable.
     */
    public Map<String, CachedNode<V>> snapshot() {
        applyLock.lock();
        try {
            return Collections.unmodifiableMap(new TreeMap<>(nodes));
        } finally {
            applyLock.unlock();
        }
    }

    /** Whether the cache watches with a persistent recursive watch (false: one-shot watches, 3.5). */
    boolean usesPersistentWatch() {
        return persistent;
    }

    /** The cache's root path. */
    public String root() {
        return root;
    }

    /** The number of events waiting in the change stream. */
    public int backlog() {
        return backlog.size();
    }

    /** The bytes accounted to the events waiting in the change stream. */
    public long backlogBytes() {
        return backlog.bytes();
    }

    /**
     * Blocks until the next change.
     *
     * @throws InterruptedException if interrupted while waiting
     * @throws NoSuchElementException once the cache is closed and its stream drained
     * @throws ZkException the session's end ({@link ZkException.SessionExpired}, {@link
     *     ZkException.Closed}) when the cache could not carry on, after the buffered events
     */
    public CacheEvent<V> next() throws InterruptedException {
        for (; ; ) {
            CacheEvent<V> e = backlog.take(Long.MAX_VALUE);
            if (e != null) {
                return resumeIfOverflow(e);
            }
            if (backlog.isClosedAndDrained()) {
                throw EventBacklog.closed(root);
            }
        }
    }

    /**
     * Blocks until the next change or the timeout.
     *
     * @return the change, or empty on timeout (or once closed and drained)
     * @throws InterruptedException if interrupted while waiting
     * @throws ZkException as {@link #next()}
     */
    public Optional<CacheEvent<V>> poll(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(backlog.take(timeout.toNanos())).map(this::resumeIfOverflow);
    }

    private CacheEvent<V> resumeIfOverflow(CacheEvent<V> e) {
        if (e.type() != CacheEvent.Type.OVERFLOW) {
            return e;
        }
        applyLock.lock();
        try {
            long dropped = backlog.resume();
            LOG.log(
                    System.Logger.Level.WARNING,
                    "tree cache of {0}: consumer fell behind, {1} events dropped",
                    root,
                    dropped);
            return new CacheEvent<>(
                    CacheEvent.Type.OVERFLOW, root, null, null, -1, Collections.unmodifiableMap(new TreeMap<>(nodes)));
        } finally {
            applyLock.unlock();
        }
    }

    // ---------------------------------------------------------------- control

    private void onState(SessionState state) {
        SessionState previous = lastState;
        lastState = state;
        if (closed) {
            return;
        }
        if (state.isConnected() && previous == SessionState.SUSPENDED) {
            requestSync();
        } else if (state.isTerminal()) {
            signals.add(Signal.EXPIRED);
        }
    }

    private void requestSync() {
        if (syncRequested.compareAndSet(false, true)) {
            signals.add(Signal.SYNC);
        }
    }

    /**
     * The control thread's story: watch, load, then serve signals (resync after a reconnect, watch
     * again after an overflow); after the session ends, rebuild on a new one or end the stream.
     */
    private void controlLoop() {
        boolean first = true;
        while (!closed) {
            try {
                startWatching();
                sync(first);
                if (first) {
                    first = false;
                    initialized.countDown();
                    backlog.publish(
                            CacheEvent.change(CacheEvent.Type.INITIALIZED, root, null, null, -1), EVENT_OVERHEAD_BYTES);
                }
                serve();
                return;
            } catch (InterruptedException | ZkException.Interrupted e) {
                return;
            } catch (ZkException e) {
                if (closed) {
                    return;
                }
                SessionState state = client.state();
                if (!e.isTerminal() && !state.isTerminal()) {
                    LOG.log(System.Logger.Level.WARNING, "tree cache of {0}: {1}; trying again", root, e);
                    if (!pause()) {
                        return;
                    }
                    continue;
                }
                closeWatch();
                if (!rebuildOnExpiry || state == SessionState.CLOSED) {
                    backlog.end(e);
                    return;
                }
                if (!rebuild()) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "tree cache of " + root + " failed", e);
                backlog.end(e);
                return;
            }
        }
    }

    /** Serves signals until closed; a terminal session state escapes as its exception. */
    private void serve() throws InterruptedException {
        for (; ; ) {
            Signal s = signals.take();
            if (closed || s == Signal.CLOSE) {
                return;
            }
            switch (s) {
                case SYNC -> {
                    syncRequested.set(false);
                    sync(false);
                }
                case REWATCH -> {
                    closeWatch();
                    startWatching();
                    sync(false);
                }
                case EXPIRED -> {
                    SessionState state = client.state();
                    if (state == SessionState.CLOSED) {
                        throw new ZkException.Closed(root, false);
                    }
                    if (state.isTerminal()) {
                        throw new ZkException.SessionExpired(root, false);
                    }
                    // a stale signal: the session was replaced meanwhile
                }
                default -> throw new IllegalStateException(s.toString());
            }
        }
    }

    /**
     * Starts a new session on the client (unless someone already did), forgetting the old
     * session's watches; the caller then watches and resyncs.
     *
     * @return false if the cache was closed meanwhile
     */
    private boolean rebuild() {
        cancelAll(dataWatches);
        cancelAll(childWatches);
        dataWatches.clear();
        childWatches.clear();
        while (!closed) {
            try {
                if (client.state().isTerminal()) {
                    client.startNewSession();
                }
                signals.removeIf(s -> s == Signal.EXPIRED);
                return true;
            } catch (IllegalStateException e) {
                if (client.state() == SessionState.CLOSED) {
                    backlog.end(new ZkException.Closed(root, false));
                    return false;
                }
                return true; // someone else started a new session meanwhile
            } catch (ZkException.Interrupted e) {
                return false;
            } catch (ZkException e) {
                LOG.log(System.Logger.Level.WARNING, "tree cache of {0}: no new session yet: {1}", root, e);
                if (!pause()) {
                    return false;
                }
            }
        }
        return false;
    }

    /** Waits a little before trying again; false if interrupted (closing). */
    private static boolean pause() {
        try {
            Thread.sleep(200);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void closeWatch() {
        PersistentWatch w = watch;
        watch = null;
        if (w != null) {
            w.close();
        }
        Thread p = pump;
        if (p != null && p != Thread.currentThread()) {
            try {
                p.join(JOIN_BOUND);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ZkException.Interrupted(root, false);
            }
        }
    }

    /** Adds the persistent recursive watch, or notes that this server needs one-shot watches. */
    private void startWatching() throws InterruptedException {
        if (!persistent) {
            return;
        }
        PersistentWatch w;
        try {
            w = retrying(() -> client.addWatch(root, AddWatchMode.PERSISTENT_RECURSIVE));
        } catch (ZkException.Unimplemented e) {
            persistent = false;
            LOG.log(
                    System.Logger.Level.DEBUG,
                    "tree cache of {0}: no persistent watches, using one-shot watches",
                    root);
            return;
        }
        watch = w;
        if (closed) {
            w.close();
            return;
        }
        pump = Thread.ofVirtual().name("zk-cache-watch-" + root).start(() -> pumpLoop(w));
    }

    private void pumpLoop(PersistentWatch w) {
        try {
            for (; ; ) {
                WatchedEvent e = w.next();
                switch (e.type()) {
                    // with nothing else queued, the read runs here: one thread hand-off less
                    case NODE_CREATED, NODE_DELETED, NODE_DATA_CHANGED -> schedule(e.path(), w.buffered() == 0);
                    default -> {}
                }
            }
        } catch (NoSuchElementException | InterruptedException | ZkException.Interrupted e) {
            // closed
        } catch (ZkException.WatchOverflow e) {
            if (!closed) {
                signals.add(Signal.REWATCH);
            }
        } catch (ZkException e) {
            if (!closed && e.isTerminal()) {
                signals.add(Signal.EXPIRED);
            }
        }
    }

    // ---------------------------------------------------------------- load and resync

    /**
     * Reads the whole subtree with up to maxInFlight reads in flight and applies what it finds;
     * then removes cached nodes it did not find, except those events touched meanwhile (the event
     * path has newer news of them). Retried after a connection loss; terminal failures escape.
     */
    private void sync(boolean initial) throws InterruptedException {
        for (; ; ) {
            Set<String> seen = ConcurrentHashMap.newKeySet();
            touched = ConcurrentHashMap.newKeySet();
            try {
                readAll(seen, initial);
                removeUnseen(seen);
                return;
            } catch (ZkException.ConnectionLoss | ZkException.RequestTimeout e) {
                awaitConnected();
            } finally {
                touched = null;
            }
        }
    }

    private void readAll(Set<String> seenSet, boolean initial) throws InterruptedException {
        // the workers reach the set through a reference dropped at the end: a finished thread
        // may stay reachable for a while (a client's pooled call can name it), its task must not
        // keep a set as large as the tree
        AtomicReference<Set<String>> seenRef = new AtomicReference<>(seenSet);
        try {
            readAll(seenRef, initial);
        } finally {
            seenRef.set(null);
        }
    }

    private void readAll(AtomicReference<Set<String>> seenRef, boolean initial) throws InterruptedException {
        LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
        AtomicInteger pending = new AtomicInteger(1);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        String done = new String("done"); // identity marker: one per worker, taken once each
        queue.add(root);
        boolean batched = batching && persistent && !statOnly;
        int n = batched ? Math.max(1, maxInFlight / 16) : maxInFlight;
        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofVirtual().name("zk-cache-sync-" + i).start(() -> {
                try {
                    for (; ; ) {
                        String path = queue.take();
                        if (path == done) {
                            return;
                        }
                        List<String> batch = new ArrayList<>();
                        batch.add(path);
                        if (batched) {
                            fillBatch(queue, batch, done);
                        }
                        try {
                            if (failure.get() == null && !closed) {
                                Set<String> seen = seenRef.get();
                                if (seen == null) {
                                    // the sync is over
                                } else if (batched) {
                                    visitBatch(batch, seen, initial, queue, pending);
                                } else {
                                    visit(path, seen, initial, queue, pending);
                                }
                            }
                        } catch (RuntimeException e) {
                            failure.compareAndSet(null, e);
                        } finally {
                            if (pending.addAndGet(-batch.size()) == 0) {
                                for (int j = 0; j < n; j++) {
                                    queue.add(done);
                                }
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    failure.compareAndSet(null, new ZkException.Interrupted(root, false));
                }
            }));
        }
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            for (Thread t : threads) {
                t.interrupt();
            }
            throw e;
        }
        RuntimeException f = failure.get();
        if (f != null) {
            throw f;
        }
        if (closed) {
            throw new ZkException.Interrupted(root, false);
        }
    }

    /** Takes more queued paths while the batch's estimated reply stays within its budget. */
    private void fillBatch(LinkedBlockingQueue<String> queue, List<String> batch, String done) {
        long estimate = estimatedBytes(batch.get(0));
        while (batch.size() < BATCH_NODES) {
            String next = queue.peek();
            if (next == null) {
                return;
            }
            if (next == done) {
                return; // leave the marker for whoever takes it
            }
            long more = estimatedBytes(next);
            if (estimate + more > BATCH_BYTES) {
                return;
            }
            next = queue.poll();
            if (next == null) {
                return;
            }
            if (next == done) {
                queue.add(done);
                return;
            }
            batch.add(next);
            estimate += more;
        }
    }

    /** A node's reply size as far as known: its cached size, at least the largest seen so far. */
    private long estimatedBytes(String path) {
        CachedNode<V> known = nodes.get(path);
        long size = Math.max(largestData, known == null ? 0 : known.dataLength());
        return 100 + 2L * path.length() + size;
    }

    /**
     * Reads a batch of nodes with one multiRead (3.6+), then lists the children of those that have
     * any with another: a few requests instead of one per node. The budget bounds the estimated
     * reply; a node much larger than every one seen before can still make the reply pass the
     * client's limit, which the client skips (ReplyTooLarge): then batching stops for good.
     */
    private void visitBatch(
            List<String> batch,
            Set<String> seen,
            boolean initial,
            LinkedBlockingQueue<String> queue,
            AtomicInteger pending) {
        List<ReadOp> reads = new ArrayList<>(batch.size());
        for (String path : batch) {
            reads.add(ReadOp.getData(path));
        }
        List<OpResult> results = batchedRead(reads);
        List<String> parents = new ArrayList<>();
        long listBytes = 0;
        for (int i = 0; i < batch.size(); i++) {
            String path = batch.get(i);
            Read r = switch (results.get(i)) {
                case OpResult.GetDataResult g ->
                    new Read(g.node().stat(), g.node().data());
                case OpResult.ErrorResult e when e.code() == ErrorCode.NO_NODE -> Read.ABSENT;
                case OpResult.ErrorResult e -> {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "tree cache of {0}: cannot read {1}: {2}",
                            root,
                            path,
                            e.code());
                    yield Read.ABSENT;
                }
                default -> throw new IllegalStateException("unexpected result " + results.get(i));
            };
            if (r.stat() != null && r.stat().dataLength() > largestData) {
                largestData = r.stat().dataLength();
            }
            seen.add(path);
            applySynced(path, r, initial);
            if (r.stat() != null && r.stat().numChildren() > 0 && depthOf(path) - rootDepth < maxDepth) {
                long bytes = 64L * r.stat().numChildren();
                if (listBytes + bytes > BATCH_BYTES && !parents.isEmpty()) {
                    listChildren(parents, queue, pending);
                    parents = new ArrayList<>();
                    listBytes = 0;
                }
                parents.add(path);
                listBytes += bytes;
            }
        }
        if (!parents.isEmpty()) {
            listChildren(parents, queue, pending);
        }
    }

    private void listChildren(List<String> parents, LinkedBlockingQueue<String> queue, AtomicInteger pending) {
        List<ReadOp> reads = new ArrayList<>(parents.size());
        for (String p : parents) {
            reads.add(ReadOp.getChildren(p));
        }
        List<OpResult> results = parents.size() == 1 ? null : batchedRead(reads);
        for (int i = 0; i < parents.size(); i++) {
            String parent = parents.get(i);
            List<String> names;
            if (results == null) {
                names = list(parent);
            } else if (results.get(i) instanceof OpResult.GetChildrenResult c) {
                names = c.names();
            } else {
                names = List.of();
            }
            for (String name : names) {
                String child = childOf(parent, name);
                if (filter.test(child)) {
                    pending.incrementAndGet();
                    queue.add(child);
                }
            }
        }
    }

    private List<OpResult> batchedRead(List<ReadOp> reads) {
        try {
            return client.multiRead(reads);
        } catch (ZkException.ConnectionLoss e) {
            if (batching) {
                batching = false;
                LOG.log(
                        System.Logger.Level.INFO,
                        "tree cache of {0}: connection lost during a batched read; reading node by node from now on",
                        root);
            }
            throw e;
        } catch (ZkException.ReplyTooLarge e) {
            // the client skipped a reply larger than it reads and stays connected: this batch, and
            // every read after it, goes node by node
            if (batching) {
                batching = false;
                LOG.log(
                        System.Logger.Level.INFO,
                        "tree cache of {0}: a batched reply was larger than the client reads; reading node by node"
                                + " from now on",
                        root);
            }
            return oneByOne(reads);
        }
    }

    /** The results {@code multiRead(reads)} would give, read one call at a time. */
    private List<OpResult> oneByOne(List<ReadOp> reads) {
        List<OpResult> results = new ArrayList<>(reads.size());
        for (ReadOp op : reads) {
            try {
                results.add(
                        switch (op) {
                            case ReadOp.GetData g -> new OpResult.GetDataResult(client.getData(g.path()));
                            case ReadOp.GetChildren g ->
                                new OpResult.GetChildrenResult(
                                        client.getChildren(g.path()).names());
                        });
            } catch (ZkException.NoNode e) {
                results.add(new OpResult.ErrorResult(ErrorCode.NO_NODE.code()));
            }
        }
        return results;
    }

    private void visit(
            String path, Set<String> seen, boolean initial, LinkedBlockingQueue<String> queue, AtomicInteger pending) {
        Read r = read(path);
        seen.add(path);
        applySynced(path, r, initial);
        if (r.stat() == null || depthOf(path) - rootDepth >= maxDepth) {
            return;
        }
        if (persistent && r.stat().numChildren() == 0) {
            return; // a child created later comes as a watch event
        }
        List<String> names = list(path);
        for (String name : names) {
            String child = childOf(path, name);
            if (filter.test(child)) {
                pending.incrementAndGet();
                queue.add(child);
            }
        }
    }

    private void removeUnseen(Set<String> seen) {
        applyLock.lock();
        try {
            Set<String> t = touched;
            for (Map.Entry<String, CachedNode<V>> e : nodes.entrySet()) {
                String path = e.getKey();
                if (!seen.contains(path) && !t.contains(path) && !refreshing.containsKey(path)) {
                    nodes.remove(path);
                    publish(CacheEvent.Type.DELETED, path, e.getValue(), null, -1);
                }
            }
        } finally {
            applyLock.unlock();
        }
    }

    // ---------------------------------------------------------------- event-driven re-reads

    /** Re-reads one node because an event named it; re-reads of one path never overlap. */
    private void schedule(String path) {
        schedule(path, false);
    }

    /** As {@link #schedule(String)}; {@code inline}: run the re-read on this thread if it starts one. */
    private void schedule(String path, boolean inline) {
        if (closed || !inScope(path)) {
            return;
        }
        Set<String> t = touched;
        if (t != null) {
            t.add(path);
        }
        if (startSerial(refreshing, path)) {
            if (inline) {
                serialLoop(refreshing, path, this::refresh);
            } else {
                submit(() -> serialLoop(refreshing, path, this::refresh));
            }
        }
    }

    /** 3.5 fallback: lists a node's children again because its child watch fired. */
    private void scheduleListing(String path) {
        if (closed || !inScope(path)) {
            return;
        }
        if (startSerial(listing, path)) {
            submit(() -> serialLoop(listing, path, this::relist));
        }
    }

    private void submit(Runnable task) {
        try {
            workers.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private static boolean startSerial(ConcurrentHashMap<String, Boolean> running, String path) {
        boolean[] start = {false};
        running.compute(path, (k, again) -> {
            if (again == null) {
                start[0] = true;
                return Boolean.FALSE;
            }
            return Boolean.TRUE;
        });
        return start[0];
    }

    private void serialLoop(ConcurrentHashMap<String, Boolean> running, String path, Consumer<String> body) {
        try {
            do {
                if (closed) {
                    running.remove(path);
                    return;
                }
                try {
                    body.accept(path);
                } catch (ZkException.Interrupted e) {
                    running.remove(path);
                    return;
                } catch (ZkException e) {
                    if (e.isTerminal()) {
                        running.remove(path);
                        return; // the next session's sync reads it again
                    }
                    LOG.log(System.Logger.Level.DEBUG, "tree cache re-read of {0} failed: {1}", path, e);
                    running.remove(path);
                    return;
                }
            } while (running.compute(path, (k, again) -> again != null && again ? Boolean.FALSE : null) != null);
        } catch (RuntimeException e) {
            running.remove(path);
            LOG.log(System.Logger.Level.ERROR, "tree cache re-read of " + path + " failed", e);
        }
    }

    private void refresh(String path) {
        Read r = readBounded(path);
        applyEvent(path, r);
    }

    private void relist(String path) {
        List<String> names;
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkException.Interrupted(path, false);
        }
        try {
            names = retryingUnchecked(() -> list(path));
        } finally {
            inFlight.release();
        }
        if (depthOf(path) - rootDepth >= maxDepth) {
            return;
        }
        Set<String> listed = Set.copyOf(names);
        for (String name : names) {
            String child = childOf(path, name);
            if (!nodes.containsKey(child)) {
                schedule(child);
            }
        }
        for (String name : children(path)) {
            if (!listed.contains(name)) {
                schedule(childOf(path, name));
            }
        }
    }

    private Read readBounded(String path) {
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkException.Interrupted(path, false);
        }
        try {
            return retryingUnchecked(() -> read(path));
        } finally {
            inFlight.release();
        }
    }

    // ---------------------------------------------------------------- reads

    /** Reads one node (arming one-shot watches on a 3.5 server); absent is {@link Read#ABSENT}. */
    private Read read(String path) {
        for (; ; ) {
            try {
                if (persistent) {
                    if (statOnly) {
                        return client.exists(path).map(s -> new Read(s, null)).orElse(Read.ABSENT);
                    }
                    NodeData d = client.getData(path);
                    return new Read(d.stat(), d.data());
                }
                if (statOnly) {
                    Watched<Optional<Stat>> w = client.existsAndWatch(path);
                    arm(dataWatches, path, w.watch(), this::schedule);
                    return w.value().map(s -> new Read(s, null)).orElse(Read.ABSENT);
                }
                Watched<NodeData> w = client.getDataAndWatch(path);
                arm(dataWatches, path, w.watch(), this::schedule);
                return new Read(w.value().stat(), w.value().data());
            } catch (ZkException.NoAuth e) {
                LOG.log(System.Logger.Level.WARNING, "tree cache of {0}: not allowed to read {1}", root, path);
                return Read.ABSENT;
            } catch (ZkException.NoNode e) {
                if (persistent || !path.equals(root)) {
                    return Read.ABSENT;
                }
                // 3.5: watch for the root's creation; read again if it appeared meanwhile
                Watched<Optional<Stat>> w = client.existsAndWatch(path);
                arm(dataWatches, path, w.watch(), this::schedule);
                if (w.value().isEmpty()) {
                    return Read.ABSENT;
                }
            }
        }
    }

    /** Lists children (arming a child watch on a 3.5 server); empty when the node is gone. */
    private List<String> list(String path) {
        try {
            if (persistent) {
                return client.getChildren(path).names();
            }
            Watched<Children> w = client.getChildrenAndWatch(path);
            arm(childWatches, path, w.watch(), this::scheduleListing);
            return w.value().names();
        } catch (ZkException.NoNode e) {
            return List.of();
        }
    }

    /**
     * 3.5 fallback: keeps one armed watch per path. A duplicate (the server holds one watch per
     * path and session anyway) is cancelled here; the first one's waiter schedules the re-read.
     */
    private void arm(
            ConcurrentHashMap<String, OneShotWatch> armed, String path, OneShotWatch w, Consumer<String> onFire) {
        if (closed || armed.putIfAbsent(path, w) != null) {
            w.cancel();
            return;
        }
        try {
            workers.execute(() -> {
                try {
                    w.await();
                } catch (InterruptedException e) {
                    armed.remove(path, w);
                    return;
                } catch (ZkException e) {
                    armed.remove(path, w);
                    return;
                }
                armed.remove(path, w);
                if (!closed) {
                    onFire.accept(path);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            armed.remove(path, w);
            w.cancel();
        }
    }

    // ---------------------------------------------------------------- applying

    /** Applies a sync read unless an event touched the path since the sync began. */
    private void applySynced(String path, Read r, boolean initial) {
        applyLock.lock();
        try {
            Set<String> t = touched;
            if ((t != null && t.contains(path)) || refreshing.containsKey(path)) {
                return;
            }
            apply(path, r, !initial);
        } finally {
            applyLock.unlock();
        }
    }

    private void applyEvent(String path, Read r) {
        applyLock.lock();
        try {
            apply(path, r, true);
        } finally {
            applyLock.unlock();
        }
    }

    /** Under applyLock: moves the node to the read's state if that is newer; publishes the change. */
    private void apply(String path, Read r, boolean publish) {
        CachedNode<V> old = nodes.get(path);
        if (r.stat() == null) {
            if (old != null) {
                nodes.remove(path);
                if (publish) {
                    publish(CacheEvent.Type.DELETED, path, old, null, -1);
                }
            }
            return;
        }
        Stat s = r.stat();
        if (old == null) {
            CachedNode<V> node = node(path, r);
            nodes.put(path, node);
            if (publish) {
                publish(CacheEvent.Type.CREATED, path, null, node, s.czxid());
            }
            return;
        }
        Stat o = old.stat();
        if (s.czxid() < o.czxid()) {
            return; // a read of an earlier incarnation
        }
        if (s.czxid() > o.czxid()) {
            CachedNode<V> node = node(path, r);
            nodes.put(path, node);
            if (publish) {
                publish(CacheEvent.Type.DELETED, path, old, null, -1);
                publish(CacheEvent.Type.CREATED, path, null, node, s.czxid());
            }
            return;
        }
        if (s.mzxid() < o.mzxid()) {
            return;
        }
        if (s.mzxid() == o.mzxid()) {
            if (s.pzxid() > o.pzxid()) {
                nodes.put(path, new CachedNode<>(path, s, old.value())); // children changed: fresher stat
            }
            return;
        }
        CachedNode<V> node = node(path, r);
        nodes.put(path, node);
        if (publish) {
            publish(CacheEvent.Type.CHANGED, path, old, node, s.mzxid());
        }
    }

    private CachedNode<V> node(String path, Read r) {
        V value = null;
        if (r.data() != null) {
            try {
                value = decoder.apply(r.data());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "tree cache: the decoder failed on " + path, e);
            }
        }
        return new CachedNode<>(path, r.stat(), value);
    }

    private void publish(CacheEvent.Type type, String path, CachedNode<V> old, CachedNode<V> now, long zxid) {
        long size = EVENT_OVERHEAD_BYTES + 2L * path.length();
        if (old != null) {
            size += old.dataLength();
        }
        if (now != null) {
            size += now.dataLength();
        }
        backlog.publish(CacheEvent.change(type, path, old, now, zxid), size);
    }

    // ---------------------------------------------------------------- helpers

    private boolean inScope(String path) {
        if (path.equals(root)) {
            return true;
        }
        String prefix = root.equals("/") ? "/" : root + "/";
        if (!path.startsWith(prefix) || depthOf(path) - rootDepth > maxDepth) {
            return false;
        }
        // the filter prunes: every ancestor below the root must pass too
        int from = prefix.length();
        for (int i = path.indexOf('/', from); i >= 0; i = path.indexOf('/', i + 1)) {
            if (!filter.test(path.substring(0, i))) {
                return false;
            }
        }
        return filter.test(path);
    }

    private static int depthOf(String path) {
        if (path.equals("/")) {
            return 0;
        }
        int d = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                d++;
            }
        }
        return d;
    }

    private static String childOf(String parent, String name) {
        return parent.equals("/") ? "/" + name : parent + "/" + name;
    }

    private static String validRoot(String root) {
        Objects.requireNonNull(root, "root");
        if (!root.startsWith("/") || (root.length() > 1 && root.endsWith("/")) || root.contains("//")) {
            throw new IllegalArgumentException("not a ZooKeeper path: " + root);
        }
        return root;
    }

    private void awaitConnected() throws InterruptedException {
        while (!closed) {
            SessionState s = client.awaitState(Duration.ofSeconds(1), SessionState.CONNECTED, SessionState.READ_ONLY);
            if (s.isConnected()) {
                return;
            }
            if (s.isTerminal()) {
                throw new ZkException.SessionExpired(root, false);
            }
        }
        throw new ZkException.Interrupted(root, false);
    }

    private interface Call<T> {
        T run();
    }

    /** Runs a call again after connection losses and timeouts, until it succeeds or fails otherwise. */
    private <T> T retrying(Call<T> call) throws InterruptedException {
        for (; ; ) {
            try {
                return call.run();
            } catch (ZkException.ConnectionLoss | ZkException.RequestTimeout e) {
                if (closed) {
                    throw new ZkException.Interrupted(root, false);
                }
                awaitConnected();
            }
        }
    }

    private <T> T retryingUnchecked(Call<T> call) {
        try {
            return retrying(call);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ZkException.Interrupted(root, false);
        }
    }

    @Override
    public String toString() {
        return "TreeCache[" + root + ", " + nodes.size() + " nodes" + (persistent ? "" : ", one-shot watches")
                + (closed ? ", closed" : "") + "]";
    }
}
