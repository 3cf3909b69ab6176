package io.loomzk.recipes;

import io.loomzk.client.NodeData;
import io.loomzk.client.Watched;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.protocol.Stat;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Calls a function with a node's latest data, once at the start and again every time the node
 * changes, is deleted or is created (kazoo's {@code DataWatch}).
 *
 * <pre>{@code
 * NodeWatcher watcher = NodeWatcher.start(zk, "/config/feature", data -> {
 *     data.ifPresent(d -> apply(d.data()));
 *     return true; // keep watching
 * });
 * }</pre>
 *
 * <p>The function runs on the watcher's own virtual thread ({@code zk-node-watcher-<path>}),
 * one call at a time; it gets empty while the node does not exist. It is never handed a value
 * older than the one before; when the node changes faster than the function returns, values in
 * between are skipped, but the latest one is always delivered. The watcher survives reconnects;
 * after the session expires it waits until the client has a new session and reads again. It
 * stops when the function returns false or throws ({@link #failure()}), or on {@link #close()}.
 */
public final class NodeWatcher implements AutoCloseable {
    private final WatchLoop<Optional<NodeData>> loop;

    private NodeWatcher(WatchLoop<Optional<NodeData>> loop) {
        this.loop = loop;
    }

    /**
     * Starts watching {@code path}; returns at once (the first call comes from the watcher's
     * thread).
     *
     * @param onChange called with the node's data (empty while it does not exist); return false
     *     to stop watching
     */
    public static NodeWatcher start(ZkClient client, String path, Predicate<Optional<NodeData>> onChange) {
        WatchLoop<Optional<NodeData>> loop = new WatchLoop<>(client, path, onChange, "node") {
            @Override
            Watched<Optional<NodeData>> readAndWatch() {
                for (; ; ) {
                    try {
                        Watched<NodeData> w = client.getDataAndWatch(path);
                        return new Watched<>(Optional.of(w.value()), w.watch());
                    } catch (ZkException.NoNode e) {
                        Watched<Optional<Stat>> exists = client.existsAndWatch(path);
                        if (exists.value().isEmpty()) {
                            return new Watched<>(Optional.empty(), exists.watch());
                        }
                        exists.watch().cancel(); // created meanwhile: read it
                    }
                }
            }

            @Override
            boolean differs(Optional<NodeData> last, Optional<NodeData> next) {
                if (last.isEmpty() || next.isEmpty()) {
                    return last.isPresent() != next.isPresent();
                }
                Stat a = last.get().stat();
                Stat b = next.get().stat();
                return a.czxid() != b.czxid() || a.mzxid() != b.mzxid();
            }
        };
        NodeWatcher watcher = new NodeWatcher(loop);
        loop.start();
        return watcher;
    }

    /** The watched path. */
    public String path() {
        return loop.path;
    }

    /** Whether the watcher still runs. */
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** What the function threw, if that stopped the watcher. */
    public Optional<RuntimeException> failure() {
        return Optional.ofNullable(loop.failure());
    }

    /**
     * Blocks until the watcher has stopped.
     *
     * @return false if the timeout passed first
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        return loop.awaitStopped(timeout);
    }

    /**
     * Stops the watcher: no call starts after this returns (unless called from the function
     * itself, when the running call is the last). Waits a few seconds at most for a call in
     * progress. Idempotent.
     */
    @Override
    public void close() {
        loop.close();
    }
}
