package io.loomzk.recipes;

import io.loomzk.client.OneShotWatch;
import io.loomzk.client.SessionState;
import io.loomzk.client.Watched;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The loop behind {@link NodeWatcher} and {@link ChildrenWatcher}: read with a one-shot watch,
 * call the function if the value differs from the last one delivered, wait for the watch, read
 * again. Every change after a read fires that read's watch, so the latest value is always read;
 * values in between may be skipped. One virtual thread per loop, owned by the handle.
 */
abstract class WatchLoop<T> {
    private static final System.Logger LOG = System.getLogger(WatchLoop.class.getName());
    private static final Duration JOIN_STEP = Duration.ofSeconds(3);

    final ZkClient client;
    final String path;
    private final Predicate<? super T> onChange;
    private final Thread thread;
    private volatile boolean closed;
    /** Written by the loop thread; cancelled by close(). */
    private volatile OneShotWatch current;
    /** Written by the loop thread when the function threw. */
    private volatile RuntimeException failure;

    WatchLoop(ZkClient client, String path, Predicate<? super T> onChange, String kind) {
        this.client = Objects.requireNonNull(client, "client");
        this.path = Objects.requireNonNull(path, "path");
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        this.thread = Thread.ofVirtual().name("zk-" + kind + "-watcher-" + path).unstarted(this::run);
    }

    final void start() {
        thread.start();
    }

    /** Reads the value and leaves a watch that fires on its next change. */
    abstract Watched<T> readAndWatch();

    /** Whether {@code next} differs from {@code last} (the value delivered last). */
    abstract boolean differs(T last, T next);

    private void run() {
        boolean delivered = false;
        T last = null;
        while (!closed) {
            try {
                Watched<T> read = readAndWatch();
                current = read.watch();
                if (closed) {
                    read.watch().cancel();
                    return;
                }
                if (!delivered || differs(last, read.value())) {
                    delivered = true;
                    last = read.value();
                    if (!deliver(read.value())) {
                        read.watch().cancel();
                        closed = true;
                        return;
                    }
                }
                read.watch().await();
            } catch (InterruptedException | ZkException.Interrupted e) {
                return;
            } catch (ZkException.ConnectionLoss | ZkException.RequestTimeout e) {
                if (!awaitSession(false)) {
                    return;
                }
            } catch (ZkException e) {
                if (!e.isTerminal() && !client.state().isTerminal()) {
                    LOG.log(System.Logger.Level.WARNING, "watcher of {0}: {1}", path, e);
                    if (!awaitSession(true)) {
                        return;
                    }
                } else if (client.state() == SessionState.CLOSED || !awaitSession(false)) {
                    return;
                }
            }
        }
    }

    private boolean deliver(T value) {
        try {
            return onChange.test(value);
        } catch (RuntimeException e) {
            failure = e;
            LOG.log(System.Logger.Level.WARNING, "watcher of " + path + ": the function threw; stopped", e);
            return false;
        }
    }

    /**
     * Waits until the client is connected (a session that expired comes back only when someone
     * starts a new one); false if closed or interrupted meanwhile.
     */
    private boolean awaitSession(boolean pauseFirst) {
        try {
            if (pauseFirst) {
                Thread.sleep(200);
            }
            while (!closed) {
                SessionState s =
                        client.awaitState(Duration.ofSeconds(1), SessionState.CONNECTED, SessionState.READ_ONLY);
                if (s.isConnected()) {
                    return true;
                }
                if (s == SessionState.CLOSED) {
                    return false;
                }
                if (s.isTerminal()) {
                    Thread.sleep(200); // awaitState returns at once in a terminal state
                }
            }
            return false;
        } catch (InterruptedException e) {
            return false;
        }
    }

    final boolean isRunning() {
        return thread.isAlive() && !closed;
    }

    final RuntimeException failure() {
        return failure;
    }

    /** Stops the loop and joins its thread (bounded); callable from the function itself. */
    final void close() {
        closed = true;
        OneShotWatch w = current;
        if (w != null) {
            w.cancel();
        }
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            if (!thread.join(JOIN_STEP)) {
                thread.interrupt();
                thread.join(JOIN_STEP);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits until the loop has ended (closed, or the function returned false or threw). */
    final boolean awaitStopped(Duration timeout) throws InterruptedException {
        return thread.join(timeout);
    }
}
