package io.loomzk.cli;

import io.loomzk.client.FourLetterWords;
import io.loomzk.client.SessionState;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkClientBuilder;
import io.loomzk.client.ZkException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the commands of one shell share: the connect string, the session (opened on first use),
 * the output streams, and the background watchers of {@code ls -w}, {@code get -w} and
 * {@code addWatch}. Owned by {@link Main}; the interactive loop and the one-shot run both use
 * one instance for their whole life.
 */
final class Shell implements AutoCloseable {
    /** Keeps the client's logger configured (JUL holds loggers weakly). */
    private static final Logger CLIENT_LOG = Logger.getLogger("io.loomzk");

    /** Guards {@link #client}, {@link #connectString} and {@link #auths}: commands and the reconnect path. */
    private final ReentrantLock lock = new ReentrantLock();

    /** Where commands print; the interactive loop points them at the terminal. */
    volatile PrintWriter out;

    volatile PrintWriter err;
    /** Set once, before the first session is opened, by the interactive loop. */
    private volatile boolean interactive;
    /** Where asynchronous lines (watch events, connection state) go; the interactive loop sets it. */
    private volatile Consumer<String> notices;

    private String connectString;
    private Duration timeout = Duration.ofSeconds(10);
    private final List<String[]> auths = new ArrayList<>();
    private ZkClient client;
    private boolean configured;
    /** Runs the watchers' waits; one virtual thread per armed watch, all ended by {@link #close()}. */
    private ExecutorService watchers;

    Shell(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
        this.notices = line -> { // outside the terminal, notices stay out of the (JSON) output
            this.err.println(line);
            this.err.flush();
        };
    }

    boolean interactive() {
        return interactive;
    }

    void interactive(PrintWriter terminal, Consumer<String> noticeSink) {
        this.out = terminal;
        this.err = terminal;
        this.notices = noticeSink;
        this.interactive = true;
    }

    void notices(Consumer<String> sink) {
        this.notices = sink;
    }

    void notice(String line) {
        notices.accept(line);
    }

    void configure(String connectString, Duration timeout, List<String> authSpecs) {
        lock.lock();
        try {
            if (configured) {
                return; // options of later lines in one shell do not reset the session
            }
            configured = true;
            this.connectString = connectString;
            if (timeout != null) {
                this.timeout = timeout;
            }
            for (String spec : authSpecs) {
                int colon = spec.indexOf(':');
                if (colon <= 0) {
                    throw new CliException(
                            ExitCode.USAGE, "--auth takes scheme:credentials, e.g. digest:user:password");
                }
                auths.add(new String[] {spec.substring(0, colon), spec.substring(colon + 1)});
            }
        } finally {
            lock.unlock();
        }
    }

    Duration timeout() {
        return timeout;
    }

    String connectString() {
        lock.lock();
        try {
            if (connectString == null) {
                throw new CliException(ExitCode.USAGE, "not connected: give --connect HOST:PORT (or use connect)");
            }
            return connectString;
        } finally {
            lock.unlock();
        }
    }

    boolean hasConnectString() {
        lock.lock();
        try {
            return connectString != null;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the shell has credentials (from --auth or addauth). */
    boolean hasAuth() {
        lock.lock();
        try {
            return !auths.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Whether a session is open now. */
    boolean isOpen() {
        lock.lock();
        try {
            return client != null;
        } finally {
            lock.unlock();
        }
    }

    /** The servers of the connect string, for the four-letter words. */
    List<InetSocketAddress> servers() {
        return FourLetterWords.servers(connectString());
    }

    /**
     * The session, opened on first use. Blocks up to the timeout for a server.
     *
     * @throws CliException (connection) if no server accepted a session in time
     */
    ZkClient client() {
        lock.lock();
        try {
            if (client != null && client.state().isTerminal()) {
                if (client.state() == SessionState.EXPIRED) {
                    notice("[session expired; starting a new one]");
                    client.startNewSession();
                } else {
                    client.close();
                    client = null;
                }
            }
            if (client == null) {
                client = open(connectString());
            }
            return client;
        } finally {
            lock.unlock();
        }
    }

    private ZkClient open(String hosts) {
        CLIENT_LOG.setLevel(Level.SEVERE);
        ZkClientBuilder builder = ZkClient.builder(hosts)
                .connectTimeout(timeout)
                .requestTimeout(timeout)
                .sessionTimeout(Duration.ofSeconds(30));
        for (String[] auth : auths) {
            builder.auth(auth[0], auth[1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        if (interactive) {
            builder.stateListener(this::reportState);
        }
        try {
            return builder.build();
        } catch (ZkException.ConnectionLoss e) {
            throw new CliException(
                    ExitCode.CONNECTION, "cannot connect to " + hosts + " within " + timeout.toSeconds() + "s");
        }
    }

    /** The last state the listener saw; written only by the client's state channel. */
    private volatile SessionState lastState = SessionState.CONNECTING;

    private void reportState(SessionState state) {
        SessionState previous = lastState;
        lastState = state;
        switch (state) {
            case SUSPENDED -> notice("[connection lost; reconnecting]");
            case CONNECTED -> {
                if (previous == SessionState.SUSPENDED || previous == SessionState.READ_ONLY) {
                    notice("[reconnected]");
                }
            }
            case READ_ONLY -> notice("[connected to a read-only server]");
            case EXPIRED -> notice("[session expired; the next command starts a new one]");
            case AUTH_FAILED -> notice("[authentication failed]");
            default -> {}
        }
    }

    /** Closes the session and switches to {@code hosts} (opened on the next command). */
    void reconnect(String hosts) {
        FourLetterWords.servers(hosts); // validates
        closeClient();
        lock.lock();
        try {
            this.connectString = hosts;
        } finally {
            lock.unlock();
        }
    }

    /** Remembers credentials for later sessions of this shell and adds them to the current one. */
    void addAuth(String scheme, String credentials) {
        lock.lock();
        try {
            auths.add(new String[] {scheme, credentials});
        } finally {
            lock.unlock();
        }
        client().addAuth(scheme, credentials.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Runs {@code task} on a watcher thread that {@link #close()} ends. */
    void watchInBackground(String name, Runnable task) {
        lock.lock();
        try {
            if (watchers == null) {
                watchers = Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("loomzk-shell-watch-", 0).factory());
            }
            watchers.execute(task);
        } finally {
            lock.unlock();
        }
    }

    void closeClient() {
        ExecutorService w;
        ZkClient c;
        lock.lock();
        try {
            w = watchers;
            c = client;
            watchers = null;
            client = null;
        } finally {
            lock.unlock();
        }
        if (c != null) {
            c.close(); // ends the watchers' waits
        }
        if (w != null) {
            w.shutdownNow();
            try {
                w.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        closeClient();
        out.flush();
        err.flush();
    }
}
