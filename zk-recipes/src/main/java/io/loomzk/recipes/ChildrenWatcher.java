package io.loomzk.recipes;

import io.loomzk.client.Children;
import io.loomzk.client.Watched;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.protocol.Stat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Calls a function with a node's latest list of children, once at the start and again every time
 * it changes (kazoo's {@code ChildrenWatch}).
 *
 * <pre>{@code
 * ChildrenWatcher members = ChildrenWatcher.start(zk, "/members", names -> {
 *     System.out.println("members: " + names);
 *     return true; // keep watching
 * });
 * }</pre>
 *
 * <p>The names are sorted; the list is empty while the node does not exist. The function runs on
 * the watcher's own virtual thread ({@code zk-children-watcher-<path>}), one call at a time, and
 * is called only when the list differs from the one it got last. Lists in between may be skipped
 * when children change faster than the function returns; the latest one is always delivered. It
 * survives reconnects; after the session expires it waits until the client has a new session and
 * reads again. It stops when the function returns false or throws, or on {@link #close()}.
 */
public final class ChildrenWatcher implements AutoCloseable {
    private final WatchLoop<List<String>> loop;

    private ChildrenWatcher(WatchLoop<List<String>> loop) {
        this.loop = loop;
    }

    /**
     * Starts watching the children of {@code path}; returns at once.
     *
     * @param onChange called with the sorted child names; return false to stop watching
     */
    public static ChildrenWatcher start(ZkClient client, String path, Predicate<List<String>> onChange) {
        WatchLoop<List<String>> loop = new WatchLoop<>(client, path, onChange, "children") {
            @Override
            Watched<List<String>> readAndWatch() {
                for (; ; ) {
                    try {
                        Watched<Children> w = client.getChildrenAndWatch(path);
                        List<String> names = new ArrayList<>(w.value().names());
                        Collections.sort(names);
                        return new Watched<>(Collections.unmodifiableList(names), w.watch());
                    } catch (ZkException.NoNode e) {
                        Watched<Optional<Stat>> exists = client.existsAndWatch(path);
                        if (exists.value().isEmpty()) {
                            return new Watched<>(List.of(), exists.watch());
                        }
                        exists.watch().cancel();
                    }
                }
            }

            @Override
            boolean differs(List<String> last, List<String> next) {
                return !last.equals(next);
            }
        };
        ChildrenWatcher watcher = new ChildrenWatcher(loop);
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

    /** Stops the watcher, as {@link NodeWatcher#close()}. Idempotent. */
    @Override
    public void close() {
        loop.close();
    }
}
