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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.net.ssl.SSLSocketFactory;

/**
 * A real ZooKeeper ensemble: 3, 5 (or more) {@code QuorumPeerMain} child JVMs on loopback ports,
 * which a test can kill, stop, start, pause and resume one by one.
 *
 * <p>Servers are numbered from 0 ({@code server.<i+1>} and {@code myid} {@code i+1} in ZooKeeper's
 * own terms). Each writes its log to {@code server-<i>.log} in a directory under
 * {@code target/zk-testing/} (see {@link #logFile(int)}); logs are kept, data directories are
 * deleted by {@link #close()}. Timing is tuned for fast elections on a small machine: tickTime
 * 200 ms, initLimit 25 ticks, syncLimit 10 ticks (a silent peer is dropped after 2 s).
 *
 * <pre>{@code
 * try (ZkEnsemble ensemble = ZkEnsemble.startWith(3)) {
 *     ZkClient client = ZkClient.builder(ensemble.connectString()).build();
 *     ensemble.kill(ensemble.leader());   // returns once the other two have a new leader
 *     ...
 * }
 * }</pre>
 *
 * <p>An ensemble built with {@link Builder#reconfigEnabled()} can grow: {@link #addServer()} starts
 * a server that follows the leader without a vote, and a client's {@code reconfig} with
 * {@link #serverLine(int)} among the joining servers makes it a member; {@code reconfig} with
 * its id among the leaving servers removes it again.
 *
 * <p>Blocking: {@link #startWith(int)} and every method that changes a server return only once the
 * ensemble has settled: while a majority of servers runs, exactly one running server leads, every
 * running server serves, and the leader counts every other running server among its synced
 * followers. A change that leaves fewer than a majority running returns at once (there is no
 * quorum to wait for). Methods are thread-safe and serialized. Failures are unchecked:
 * {@link IllegalStateException} when the ensemble does not settle within the quorum timeout (the
 * message lists each server's state and log), when a server died on its own, or when the caller
 * is interrupted (the flag stays set); {@link IndexOutOfBoundsException} for a bad index.
 */
public final class ZkEnsemble implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ZkEnsemble.class.getName());
    private static final int START_ATTEMPTS = 3;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    /** A TLS probe's handshake runs in a member JVM that has only just started: give it time. */
    private static final Duration TLS_PROBE_TIMEOUT = Duration.ofSeconds(5);

    private enum State {
        RUNNING,
        PAUSED,
        STOPPED
    }

    /**
     * One server. Written only under the ensemble's lock; {@code clientPort} and {@code state} are
     * volatile so that accessors can read them while another thread waits for a quorum.
     */
    private static final class Member {
        final int index;
        final Path dir;
        final Path log;
        volatile int clientPort;
        /** The quorum and election ports (0 until the configuration is written). */
        volatile int quorumPort;

        volatile int electionPort;
        volatile State state = State.STOPPED;
        ChildJvm jvm;

        Member(int index, Path dir, Path log) {
            this.index = index;
            this.dir = dir;
            this.log = log;
        }
    }

    private final ZkVersion version;
    private final Duration tickTime;
    private final Map<String, String> properties;
    private final Duration quorumTimeout;
    /** Whether members run with reconfigEnabled and client addresses in their server lines. */
    private final boolean reconfig;

    private final List<String> jvmOptions;
    private final ServerSecurity security;
    /** Speaks to TLS-only members' client ports for the readiness probes (null when plain). */
    private final SSLSocketFactory probe;

    private final String name;
    private final Path baseDir;
    private final Path logDir;
    private final List<Path> jars;

    /** Serializes changes to members and closed; held while waiting for a quorum, so not a monitor. */
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * In index order; grows by {@link #addServer()} under the lock (copy-on-write, so accessors
     * read it without the lock).
     */
    private final List<Member> members = new CopyOnWriteArrayList<>();

    private boolean closed;

    private ZkEnsemble(Builder b) {
        this.version = b.version;
        this.tickTime = b.tickTime;
        this.properties = Map.copyOf(b.properties);
        this.quorumTimeout = b.quorumTimeout;
        this.reconfig = b.reconfig;
        this.jvmOptions = List.copyOf(b.jvmOptions);
        this.security = b.security();
        this.probe = security.probeSocketFactory();
        this.name = b.name != null ? b.name : Dirs.uniqueName("ensemble");
        this.jars = ServerClasspath.jars(version.line());
        this.baseDir = Dirs.newTempDir(name + "-");
        this.logDir = Dirs.runDir().resolve(name);
        for (int i = 0; i < b.size; i++) {
            members.add(newMember(i));
        }
    }

    private Member newMember(int i) {
        return new Member(i, baseDir.resolve("server-" + i), logDir.resolve("server-" + i + ".log"));
    }

    /**
     * Starts an ensemble of {@code size} ZooKeeper 3.9 servers and returns once it has a quorum.
     * (Named so because {@link #start(int)} starts one server of a running ensemble.)
     *
     * @throws IllegalArgumentException if {@code size} is below 3
     * @throws IllegalStateException if it has no quorum within 60 s
     */
    public static ZkEnsemble startWith(int size) {
        return builder().size(size).start();
    }

    /** A builder for another size, version or timing. */
    public static Builder builder() {
        return new Builder();
    }

    /** The number of servers, running or not, including those {@link #addServer() added} later. */
    public int size() {
        return members.size();
    }

    /** The line the servers run. */
    public ZkVersion version() {
        return version;
    }

    /** Every server's {@code 127.0.0.1:<port>}, comma-separated, in index order. */
    public String connectString() {
        return members.stream().map(m -> "127.0.0.1:" + m.clientPort).collect(Collectors.joining(","));
    }

    /** Server {@code i}'s {@code 127.0.0.1:<port>}. */
    public String connectString(int i) {
        return "127.0.0.1:" + clientPort(i);
    }

    /** Server {@code i}'s client port; it does not change when the server restarts. */
    public int clientPort(int i) {
        return member(i).clientPort;
    }

    /**
     * Server {@code i}'s line in ZooKeeper's dynamic configuration, as {@code reconfig} takes it
     * among its joining servers: {@code server.<i+1>=127.0.0.1:<quorum>:<election>:participant;
     * 127.0.0.1:<client>}.
     *
     * @throws IllegalStateException if the ensemble does not run with {@code reconfigEnabled()}
     */
    public String serverLine(int i) {
        if (!reconfig) {
            throw new IllegalStateException(name + " does not run with reconfigEnabled()");
        }
        Member m = member(i);
        return "server." + (m.index + 1) + "=" + dynamicSpec(m, "participant");
    }

    /**
     * Starts one more server, numbered {@link #size()} before the call, that joins this
     * reconfiguration-enabled ensemble, and returns its index once it has synced with the leader.
     *
     * <p>It starts with the configuration the leader holds now (read with the {@code conf}
     * four-letter word) plus itself as a participant, which ZooKeeper's dynamic reconfiguration
     * documents as a safe initial configuration for one joiner at a time: it finds the current
     * leader and follows it as a non-voting follower. It serves clients at once but has no vote,
     * and the ensemble's configuration is unchanged until a client calls {@code reconfig} with
     * {@link #serverLine(int)} among the joining servers. A member removed by {@code reconfig}
     * keeps running until {@link #kill(int) killed} or {@link #stop(int) stopped}; the majority
     * this class waits for is counted over every server it started, removed ones included.
     *
     * <p>Blocking: until the new server follows the leader and the ensemble has settled (see the
     * class comment), at most the quorum timeout.
     *
     * @throws IllegalStateException if the ensemble does not run with {@code reconfigEnabled()},
     *     has no quorum, or the new server does not join in time (it is then killed and its index
     *     is not used)
     */
    public int addServer() {
        lock.lock();
        try {
            checkOpen();
            if (!reconfig) {
                throw new IllegalStateException(name + " does not run with reconfigEnabled(): it cannot grow");
            }
            if (running() < majority()) {
                throw new IllegalStateException(
                        name + " has no quorum to join: only " + running() + " of " + size() + " servers run");
            }
            int leader = awaitSettled();
            List<String> current = currentServerLines(members.get(leader));
            Member m = newMember(members.size());
            int[] ports = Ports.free(3);
            m.clientPort = ports[0];
            m.quorumPort = ports[1];
            m.electionPort = ports[2];
            List<String> lines = new ArrayList<>(current);
            lines.add("server." + (m.index + 1) + "=" + dynamicSpec(m, "participant"));
            writeConfig(m, lines);
            members.add(m);
            try {
                launch(m);
                awaitSettled();
            } catch (RuntimeException | Error e) {
                if (m.jvm != null) {
                    m.jvm.kill();
                    m.jvm = null;
                }
                m.state = State.STOPPED;
                members.remove(m);
                throw e;
            }
            LOG.log(System.Logger.Level.DEBUG, "{0}: server {1} joined on port {2}", name, m.index, m.clientPort);
            return m.index;
        } finally {
            lock.unlock();
        }
    }

    /** The {@code server.N=...} lines of the configuration {@code m} holds now. */
    private List<String> currentServerLines(Member m) {
        String conf;
        try {
            conf = FourLetterWords.ask(m.clientPort, "conf", probe == null ? PROBE_TIMEOUT : TLS_PROBE_TIMEOUT, probe);
        } catch (IOException e) {
            throw new IllegalStateException(name + " server " + m.index + " did not tell its configuration", e);
        }
        List<String> lines = conf.lines()
                .map(String::trim)
                .filter(line -> line.startsWith("server."))
                .toList();
        if (lines.isEmpty()) {
            throw new IllegalStateException(name + " server " + m.index + " told no members: " + conf);
        }
        return lines;
    }

    /** Whether server {@code i} is started and neither stopped nor paused. */
    public boolean isRunning(int i) {
        return member(i).state == State.RUNNING;
    }

    /** Server {@code i}'s log file (kept after {@link #close()}). */
    public Path logFile(int i) {
        return member(i).log;
    }

    /**
     * The index of the current leader, waiting for the ensemble to settle first.
     *
     * @throws IllegalStateException if fewer than a majority of servers run, or no leader is
     *     elected within the quorum timeout
     */
    public int leader() {
        lock.lock();
        try {
            checkOpen();
            if (running() < majority()) {
                throw new IllegalStateException(
                        name + " has no leader: only " + running() + " of " + size() + " servers run");
            }
            return awaitSettled();
        } finally {
            lock.unlock();
        }
    }

    /** Blocks until the ensemble has settled (see the class comment); returns at once without a majority. */
    public void awaitQuorum() {
        lock.lock();
        try {
            checkOpen();
            settleIfPossible();
        } finally {
            lock.unlock();
        }
    }

    /** Kills server {@code i} with SIGKILL, then waits for the rest to settle. */
    public void kill(int i) {
        lock.lock();
        try {
            checkOpen();
            Member m = member(i);
            if (m.jvm != null) {
                m.jvm.kill();
                m.jvm = null;
            }
            m.state = State.STOPPED;
            settleIfPossible();
        } finally {
            lock.unlock();
        }
    }

    /** Stops server {@code i} gracefully (SIGTERM), then waits for the rest to settle. */
    public void stop(int i) {
        lock.lock();
        try {
            checkOpen();
            Member m = member(i);
            if (m.jvm != null) {
                m.jvm.terminate(Duration.ofSeconds(10));
                m.jvm = null;
            }
            m.state = State.STOPPED;
            settleIfPossible();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts a stopped or killed server {@code i} again (same ports, same data), then waits until
     * it has joined and the ensemble has settled. Does nothing to a server that runs.
     *
     * @throws IllegalStateException if server {@code i} is paused (use {@link #resume(int)})
     */
    public void start(int i) {
        lock.lock();
        try {
            checkOpen();
            Member m = member(i);
            if (m.state == State.PAUSED) {
                throw new IllegalStateException("server " + i + " is paused; resume(" + i + ") it instead");
            }
            if (m.state == State.STOPPED) {
                launch(m);
            }
            settleIfPossible();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Freezes server {@code i} with SIGSTOP (its sockets stay open, nothing answers), then waits
     * for the rest to settle; pausing the leader waits for a new election.
     *
     * @throws IllegalStateException if server {@code i} is not running
     */
    public void pause(int i) {
        lock.lock();
        try {
            checkOpen();
            Member m = member(i);
            if (m.state != State.RUNNING) {
                throw new IllegalStateException("cannot pause server " + i + ": it is " + describe(m.state));
            }
            m.jvm.signal("STOP");
            m.state = State.PAUSED;
            settleIfPossible();
        } finally {
            lock.unlock();
        }
    }

    /** Continues a paused server {@code i} with SIGCONT, then waits until it has rejoined. */
    public void resume(int i) {
        lock.lock();
        try {
            checkOpen();
            Member m = member(i);
            if (m.state == State.PAUSED) {
                m.jvm.signal("CONT");
                m.state = State.RUNNING;
            }
            settleIfPossible();
        } finally {
            lock.unlock();
        }
    }

    /** Kills every server (paused ones too) with SIGKILL and deletes the data; logs stay. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            killAll();
            Dirs.deleteTree(baseDir);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return name + " (" + version + ", " + size() + " servers)";
    }

    private void startAll() {
        for (int attempt = 1; ; attempt++) {
            int[] ports = Ports.free(3 * size());
            for (Member m : members) {
                m.clientPort = ports[3 * m.index];
                m.quorumPort = ports[3 * m.index + 1];
                m.electionPort = ports[3 * m.index + 2];
            }
            List<String> lines = members.stream()
                    .map(peer -> "server." + (peer.index + 1) + "="
                            + (reconfig
                                    ? dynamicSpec(peer, "participant")
                                    : "127.0.0.1:" + peer.quorumPort + ":" + peer.electionPort))
                    .toList();
            for (Member m : members) {
                writeConfig(m, lines);
            }
            try {
                for (Member m : members) {
                    launch(m);
                }
                awaitSettled();
                LOG.log(System.Logger.Level.DEBUG, "{0} started on {1}", this, connectString());
                return;
            } catch (IllegalStateException e) {
                killAll();
                if (attempt == START_ATTEMPTS || !anyLogMentionsPortClash()) {
                    throw e;
                }
                LOG.log(System.Logger.Level.INFO, "{0}: a port was taken; retrying on other ports", name);
            }
        }
    }

    /** {@code <quorum address>:<election port>:<role>;<client address>}, as a dynamic configuration line has it. */
    private static String dynamicSpec(Member m, String role) {
        return "127.0.0.1:" + m.quorumPort + ":" + m.electionPort + ":" + role + ";127.0.0.1:" + m.clientPort;
    }

    /** Writes {@code m}'s {@code zoo.cfg} with {@code serverLines} ({@code server.N=...}) and its myid. */
    private void writeConfig(Member m, List<String> serverLines) {
        Path data = m.dir.resolve("data");
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("initLimit", "25");
        cfg.put("syncLimit", "10");
        cfg.putAll(ServerSettings.base(tickTime, data, m.clientPort, Map.of()));
        for (String line : serverLines) {
            int eq = line.indexOf('=');
            cfg.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        if (reconfig) {
            cfg.put("reconfigEnabled", "true");
        }
        cfg.putAll(properties);
        ServerSettings.write(m.dir.resolve("zoo.cfg"), security.configure(cfg));
        try {
            Files.createDirectories(data);
            Files.writeString(data.resolve("myid"), Integer.toString(m.index + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the myid of server " + m.index, e);
        }
    }

    private void launch(Member m) {
        m.jvm = ChildJvm.start(
                name + "-server-" + m.index,
                jars,
                ServerSettings.QUORUM_MAIN,
                List.of(m.dir.resolve("zoo.cfg").toString()),
                ServerSettings.childJvmOptions(memberJvmOptions(m)),
                m.log);
        m.state = State.RUNNING;
    }

    private List<String> memberJvmOptions(Member m) {
        List<String> options = new ArrayList<>(security.jvmOptions(m.dir));
        options.addAll(jvmOptions);
        return options;
    }

    private void killAll() {
        for (Member m : members) {
            if (m.jvm != null) {
                m.jvm.kill();
                m.jvm = null;
            }
            m.state = State.STOPPED;
        }
    }

    private void settleIfPossible() {
        if (running() >= majority()) {
            awaitSettled();
        }
    }

    /** Polls every running server until the ensemble has settled; returns the leader's index. */
    private int awaitSettled() {
        long deadline = Pause.deadline(quorumTimeout);
        List<String> states = List.of();
        while (true) {
            checkNoneDied();
            List<Optional<Map<String, String>>> mntr = members.stream()
                    .map(m -> m.state == State.RUNNING ? mntr(m) : Optional.<Map<String, String>>empty())
                    .toList();
            OptionalInt leader = settledLeader(mntr);
            if (leader.isPresent()) {
                return leader.getAsInt();
            }
            states = IntStream.range(0, size())
                    .mapToObj(i -> "server " + i + ": " + describe(members.get(i), mntr.get(i)))
                    .toList();
            if (Pause.passed(deadline)) {
                throw new IllegalStateException(
                        name + " did not settle within " + quorumTimeout + ": " + String.join("; ", states) + ". Logs: "
                                + members.get(0).log.getParent());
            }
            Pause.sleep(100, name + " to settle");
        }
    }

    private OptionalInt settledLeader(List<Optional<Map<String, String>>> mntr) {
        int leader = -1;
        int running = 0;
        for (Member m : members) {
            if (m.state != State.RUNNING) {
                continue;
            }
            running++;
            String state = mntr.get(m.index).map(s -> s.get("zk_server_state")).orElse("");
            switch (state) {
                case "leader" -> {
                    if (leader >= 0) {
                        return OptionalInt.empty();
                    }
                    leader = m.index;
                }
                case "follower", "observer" -> {}
                default -> {
                    return OptionalInt.empty();
                }
            }
        }
        if (leader < 0) {
            return OptionalInt.empty();
        }
        String synced = mntr.get(leader).orElseThrow().get("zk_synced_followers");
        if (synced != null && parseDouble(synced) < running - 1) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(leader);
    }

    private static double parseDouble(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private Optional<Map<String, String>> mntr(Member m) {
        try {
            String answer =
                    FourLetterWords.ask(m.clientPort, "mntr", probe == null ? PROBE_TIMEOUT : TLS_PROBE_TIMEOUT, probe);
            Map<String, String> values = new LinkedHashMap<>();
            for (String line : answer.split("\n")) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    values.put(line.substring(0, tab), line.substring(tab + 1).trim());
                }
            }
            return values.isEmpty() ? Optional.empty() : Optional.of(values);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void checkNoneDied() {
        for (Member m : members) {
            if (m.state != State.STOPPED && m.jvm != null && !m.jvm.isAlive()) {
                int status = m.jvm.exitValue();
                m.jvm = null;
                m.state = State.STOPPED;
                throw new IllegalStateException(name + " server " + m.index + " exited on its own with status " + status
                        + "; end of " + m.log + ":\n" + ChildJvm.tail(m.log, 4000));
            }
        }
    }

    private boolean anyLogMentionsPortClash() {
        return members.stream()
                .anyMatch(m ->
                        Files.exists(m.log) && ChildJvm.tail(m.log, 200_000).contains("Address already in use"));
    }

    private static String describe(Member m, Optional<Map<String, String>> mntr) {
        if (m.state != State.RUNNING) {
            return describe(m.state);
        }
        return mntr.map(s -> s.getOrDefault("zk_server_state", "?")
                        + (s.containsKey("zk_synced_followers")
                                ? " (synced followers " + s.get("zk_synced_followers") + ")"
                                : ""))
                .orElse("not serving");
    }

    private static String describe(State state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private int running() {
        return (int) members.stream().filter(m -> m.state == State.RUNNING).count();
    }

    private int majority() {
        return size() / 2 + 1;
    }

    private Member member(int i) {
        Objects.checkIndex(i, members.size());
        return members.get(i);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
    }

    /** Settings for a {@link ZkEnsemble}; {@link #start()} starts it. Not thread-safe. */
    public static final class Builder extends ServerBuilder<Builder> {
        private int size = 3;
        private Duration quorumTimeout = Duration.ofSeconds(60);
        private boolean reconfig;

        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /** The number of servers (default 3, at least 3). */
        public Builder size(int size) {
            if (size < 3) {
                throw new IllegalArgumentException(
                        "an ensemble has at least 3 servers (use ZkServer for one): " + size);
            }
            this.size = size;
            return this;
        }

        /**
         * Enables dynamic reconfiguration (ZooKeeper 3.5+): {@code reconfigEnabled=true}, and
         * server lines that carry each member's client address
         * ({@code server.<id>=127.0.0.1:<quorum>:<election>:participant;127.0.0.1:<client>}), so
         * {@code /zookeeper/config} tells clients where to connect. Reconfiguring needs the super
         * user's rights: pass {@code -Dzookeeper.DigestAuthenticationProvider.superDigest=...}
         * with {@link #jvmOptions}, or {@code -Dzookeeper.skipACL=yes}.
         */
        public Builder reconfigEnabled() {
            this.reconfig = true;
            return this;
        }

        /** How long a change may take to settle (default 60 s). */
        public Builder quorumTimeout(Duration timeout) {
            this.quorumTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * Starts every server and blocks until the ensemble has settled.
         *
         * @throws IllegalStateException if it does not settle in time or its jars cannot be found
         */
        public ZkEnsemble start() {
            ZkEnsemble ensemble = new ZkEnsemble(this);
            ensemble.lock.lock();
            try {
                ensemble.startAll();
                return ensemble;
            } catch (RuntimeException | Error e) {
                ensemble.close();
                throw e;
            } finally {
                ensemble.lock.unlock();
            }
        }
    }
}
