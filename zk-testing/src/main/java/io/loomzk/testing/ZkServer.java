package io.loomzk.testing;

import io.loomzk.testing.internal.ChildJvm;
import io.loomzk.testing.internal.Dirs;
import io.loomzk.testing.internal.FourLetterWords;
import io.loomzk.testing.internal.Pause;
import io.loomzk.testing.internal.Ports;
import io.loomzk.testing.internal.ServerClasspath;
import io.loomzk.testing.internal.ServerSecurity;
import io.loomzk.testing.internal.ServerSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLSocketFactory;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A real standalone ZooKeeper server on a free loopback port, with its own temporary data
 * directory, for tests.
 *
 * <p>{@link #start()} runs ZooKeeper 3.9 in this JVM through its public embedded API (the admin
 * HTTP server off). {@link #builder()} can instead run it as a child JVM, which a test can
 * {@link #kill()} or {@link #pause()}, and can run any {@link ZkVersion} (lines other than 3.9
 * always run as child JVMs, from that line's own jars). The port and the data stay the same
 * across {@link #stop()} and {@link #restart()}; {@link #close()} removes the data.
 *
 * <pre>{@code
 * try (ZkServer server = ZkServer.start()) {
 *     ZkClient client = ZkClient.builder(server.connectString()).build();
 *     ...
 * }
 * }</pre>
 *
 * <p>Every method blocks until the server is in the state it names: {@code start} and
 * {@code restart} until the server answers on its port (typically well under 5 s). Lifecycle
 * methods are thread-safe. Failures are unchecked: {@link IllegalStateException} when a server
 * does not come up in time or dies (its message carries the end of the server's log), or when the
 * calling thread is interrupted (the interrupt flag stays set).
 *
 * <p>In-process servers set JVM-wide system properties ({@code zookeeper.admin.enableServer},
 * {@code zookeeper.forceSync}, {@code zookeeper.4lw.commands.whitelist}), because that is how
 * ZooKeeper reads these settings.
 */
public final class ZkServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ZkServer.class.getName());
    private static final int START_ATTEMPTS = 3;
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
    /** A TLS probe's handshake runs in a server JVM that has only just started: give it time. */
    private static final Duration TLS_PROBE_TIMEOUT = Duration.ofSeconds(5);

    private enum State {
        RUNNING,
        PAUSED,
        STOPPED,
        CLOSED
    }

    private final ZkVersion version;
    private final boolean childProcess;
    private final Duration tickTime;
    private final Map<String, String> properties;
    private final List<String> jvmOptions;
    private final Duration startTimeout;
    private final ServerSecurity security;
    private final String name;
    private final Path baseDir;
    private final Path logFile;

    /** Guards every field below; held across start and stop, which is why it is not a monitor. */
    private final ReentrantLock lock = new ReentrantLock();

    private volatile int port;
    private volatile State state = State.STOPPED;
    private ZooKeeperServerEmbedded embedded;
    private ChildJvm child;

    private ZkServer(Builder b) {
        this.version = b.version;
        this.security = b.security();
        // A secured server's settings are JVM-wide system properties in ZooKeeper: its own JVM.
        this.childProcess = b.childProcess || b.version != ZkVersion.V3_9 || security.isSecured();
        this.tickTime = b.tickTime;
        this.properties = Map.copyOf(b.properties);
        this.jvmOptions = List.copyOf(b.jvmOptions);
        // a secured server's JVM does more at start (TLS, JAAS, Kerberos): a loaded machine needs margin
        this.startTimeout = b.startTimeout != null
                ? b.startTimeout
                : security.isSecured() ? Duration.ofSeconds(60) : Duration.ofSeconds(20);
        this.name = b.name != null ? b.name : Dirs.uniqueName("zk" + version.line());
        this.baseDir = Dirs.newTempDir(name + "-");
        this.logFile = childProcess ? Dirs.runDir().resolve(name + ".log") : null;
    }

    /**
     * Starts a ZooKeeper 3.9 server in this JVM and returns once it serves.
     *
     * @throws IllegalStateException if it does not start within 20 s
     */
    public static ZkServer start() {
        return builder().start();
    }

    /** A builder for a server of another version, in a child JVM, or with other settings. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code 127.0.0.1:<port>}, valid whether or not the server is running right now. */
    public String connectString() {
        return "127.0.0.1:" + port;
    }

    /** {@code 127.0.0.1:<port><chroot>}, e.g. with {@code chroot} = {@code /tests/a}. */
    public String connectString(String chroot) {
        return connectString() + chroot;
    }

    /** The client port; it does not change across restarts. */
    public int port() {
        return port;
    }

    /** The line this server runs. */
    public ZkVersion version() {
        return version;
    }

    /** Whether this server runs in a child JVM (and so can be killed and paused). */
    public boolean isChildProcess() {
        return childProcess;
    }

    /** Whether the server is started and not stopped, killed or paused. */
    public boolean isRunning() {
        return state == State.RUNNING;
    }

    /** The log file of a child-process server (kept after {@link #close()}); empty in-process. */
    public Optional<Path> logFile() {
        return Optional.ofNullable(logFile);
    }

    /**
     * Stops the server gracefully (SIGTERM for a child JVM); its clients lose their connection.
     * Does nothing if it is already stopped. Blocks until the port is closed.
     */
    public void stop() {
        lock.lock();
        try {
            checkOpen();
            if (state == State.STOPPED) {
                return;
            }
            if (embedded != null) {
                closeBounded(embedded);
                embedded = null;
            }
            if (child != null) {
                child.terminate(Duration.ofSeconds(10));
                child = null;
            }
            state = State.STOPPED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Kills the child JVM with SIGKILL: no goodbye to clients, nothing flushed by the server.
     * Blocks until the process is gone.
     *
     * @throws IllegalStateException if the server runs in this JVM
     */
    public void kill() {
        lock.lock();
        try {
            checkOpen();
            requireChild("kill()");
            if (child != null) {
                child.kill();
                child = null;
            }
            state = State.STOPPED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Freezes the child JVM with SIGSTOP: connections stay open but nothing answers.
     *
     * @throws IllegalStateException if the server runs in this JVM or is not running
     */
    public void pause() {
        lock.lock();
        try {
            checkOpen();
            requireChild("pause()");
            if (state != State.RUNNING) {
                throw new IllegalStateException("cannot pause " + name + ": it is " + state);
            }
            child.signal("STOP");
            state = State.PAUSED;
        } finally {
            lock.unlock();
        }
    }

    /** Continues a paused child JVM with SIGCONT; does nothing if it is not paused. */
    public void resume() {
        lock.lock();
        try {
            checkOpen();
            if (state == State.PAUSED) {
                child.signal("CONT");
                state = State.RUNNING;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the server if it runs (gracefully), then starts it again on the same port with the
     * same data, and blocks until it serves. Also starts a stopped or killed server.
     *
     * @throws IllegalStateException if it does not start in time, for instance because another
     *     process took its port meanwhile
     */
    public void restart() {
        lock.lock();
        try {
            checkOpen();
            if (state == State.PAUSED) {
                resume();
            }
            stop();
            startLocked();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the server at once (SIGKILL for a child JVM) and deletes its data directory; the
     * log file of a child stays. Idempotent.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            try {
                if (embedded != null) {
                    closeBounded(embedded);
                    embedded = null;
                }
                if (child != null) {
                    child.kill();
                    child = null;
                }
            } finally {
                state = State.CLOSED;
                Dirs.deleteTree(baseDir);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return name + " (" + version + (childProcess ? ", child JVM" : ", in-process") + ", " + connectString() + ", "
                + state.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }

    private void startLocked() {
        if (childProcess) {
            startChild();
        } else {
            startInProcess();
        }
        state = State.RUNNING;
    }

    private void startInProcess() {
        if (port != 0) {
            requirePortFree();
        }
        Properties props = new Properties();
        props.putAll(ServerSettings.base(tickTime, baseDir.resolve("data"), port, properties));
        ZooKeeperServerEmbedded server;
        try {
            server = ZooKeeperServerEmbedded.builder()
                    .baseDir(baseDir)
                    .configuration(props)
                    .exitHandler(ExitHandler.LOG_ONLY)
                    .build();
        } catch (Exception e) {
            throw new IllegalStateException("ZooKeeper rejected the configuration of " + name + ": " + e, e);
        }
        try {
            server.start(startTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeBounded(server);
            throw new IllegalStateException("interrupted while starting " + name, e);
        } catch (TimeoutException e) {
            // ZooKeeper logs why (through slf4j) and has already tried to close the server.
            throw new IllegalStateException(
                    name + " did not start within " + startTimeout
                            + "; ZooKeeper's log (slf4j logger org.apache.zookeeper) says why",
                    e);
        } catch (Exception e) {
            closeBounded(server);
            throw new IllegalStateException(name + " failed to start: " + e, e);
        }
        embedded = server;
        port = server.getClientPort();
        LOG.log(System.Logger.Level.DEBUG, "started {0}", this);
    }

    private void startChild() {
        List<Path> jars = ServerClasspath.jars(version.line());
        boolean portFixed = port != 0;
        for (int attempt = 1; ; attempt++) {
            int candidate = portFixed ? port : Ports.free(1)[0];
            Path cfg = baseDir.resolve("zoo.cfg");
            ServerSettings.write(
                    cfg,
                    security.configure(ServerSettings.base(tickTime, baseDir.resolve("data"), candidate, properties)));
            List<String> options = new ArrayList<>(security.jvmOptions(baseDir));
            options.addAll(jvmOptions);
            ChildJvm jvm = ChildJvm.start(
                    name,
                    jars,
                    ServerSettings.STANDALONE_MAIN,
                    List.of(cfg.toString()),
                    ServerSettings.childJvmOptions(options),
                    logFile);
            String failure = awaitServing(jvm, candidate);
            if (failure == null) {
                child = jvm;
                port = candidate;
                LOG.log(System.Logger.Level.DEBUG, "started {0}", this);
                return;
            }
            jvm.kill();
            boolean portClash = jvm.tail(20_000).contains("Address already in use");
            if (portFixed || !portClash || attempt == START_ATTEMPTS) {
                throw new IllegalStateException(name + " " + failure + "; end of " + logFile + ":\n" + jvm.tail(4000));
            }
            LOG.log(System.Logger.Level.INFO, "{0}: port {1} was taken; retrying on another", name, candidate);
        }
    }

    /**
     * Closes an in-process server, waiting at most 15 s: after a failed start ZooKeeper's close
     * can wait for ever on a thread that never ran, and a test must not hang on that.
     */
    private void closeBounded(ZooKeeperServerEmbedded server) {
        Thread closer =
                Thread.ofPlatform().name("zk-testing-close-" + name).daemon().start(server::close);
        try {
            if (!closer.join(Duration.ofSeconds(15))) {
                LOG.log(System.Logger.Level.WARNING, "{0} did not stop within 15 s; leaving its threads behind", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Null once the child serves on {@code port} from our data directory, else why not. */
    private String awaitServing(ChildJvm jvm, int candidate) {
        long deadline = Pause.deadline(startTimeout);
        String dataDir = baseDir.resolve("data").toAbsolutePath().toString();
        SSLSocketFactory probe = security.probeSocketFactory();
        while (!Pause.passed(deadline)) {
            if (!jvm.isAlive()) {
                return "exited with status " + jvm.exitValue() + " while starting";
            }
            if (FourLetterWords.mode(candidate, probeTimeout(probe), probe).isPresent()
                    && servesOurData(candidate, dataDir, probe)) {
                return null;
            }
            Pause.sleep(50, name + " to start");
        }
        return "did not serve within " + startTimeout;
    }

    /** Whether the server on {@code port} is ours and not some other process that took the port. */
    private static boolean servesOurData(int port, String dataDir, SSLSocketFactory probe) {
        try {
            return FourLetterWords.ask(port, "conf", probeTimeout(probe), probe).contains(dataDir);
        } catch (IOException e) {
            return false;
        }
    }

    private static Duration probeTimeout(SSLSocketFactory probe) {
        return probe == null ? PROBE_TIMEOUT : TLS_PROBE_TIMEOUT;
    }

    private void requirePortFree() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot restart " + name + ": port " + port + " is taken by another process", e);
        }
    }

    private void requireChild(String what) {
        if (!childProcess) {
            throw new IllegalStateException(
                    what + " needs a child-process server: use ZkServer.builder().childProcess().start()");
        }
    }

    private void checkOpen() {
        if (state == State.CLOSED) {
            throw new IllegalStateException(name + " is closed");
        }
    }

    /** Settings for a {@link ZkServer}; {@link #start()} starts it. Not thread-safe. */
    public static final class Builder extends ServerBuilder<Builder> {
        private boolean childProcess;
        private Duration startTimeout;

        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /** Runs the server in a child JVM, so that it can be killed and paused. */
        public Builder childProcess() {
            this.childProcess = true;
            return this;
        }

        /** How long {@code start} and {@code restart} wait for the server (default 20 s, 60 s when secured). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Starts the server and blocks until it serves.
         *
         * @throws IllegalStateException if it does not start in time or its jars cannot be found
         */
        public ZkServer start() {
            ZkServer server = new ZkServer(this);
            server.lock.lock();
            try {
                server.startLocked();
                return server;
            } catch (RuntimeException | Error e) {
                server.close();
                throw e;
            } finally {
                server.lock.unlock();
            }
        }
    }
}
