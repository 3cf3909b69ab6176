package io.loomzk.client.internal;

import io.loomzk.protocol.AddWatchMode;
import io.loomzk.protocol.AddWatchRequest;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.RemoveWatchesRequest;
import io.loomzk.protocol.SetWatches;
import io.loomzk.protocol.Xids;
import java.lang.System.Logger.Level;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Removes from the server the watches no local watch needs any more, on one thread the session
 * owns: it starts when there is work, ends when there is none, and the session's close waits for
 * it. Neither the reader nor a caller that cancels a watch ever blocks on a removal.
 */
final class Unwatcher {
    private static final System.Logger LOG = System.getLogger(Unwatcher.class.getName());

    private final String name;
    private final Watches watches;
    private final CallEngine engine;
    private final LongSupplier lastZxid;

    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock: server-side watches to remove, in order, each once. */
    private final LinkedHashSet<Unwatch> queue = new LinkedHashSet<>();
    /** Guarded by lock: the thread while it runs (it ends when the queue is empty). */
    private Thread thread;
    /** Guarded by lock: set by the session's close; no more work is taken. */
    private boolean stopped;

    /** A server-side watch to remove. */
    private record Unwatch(WatchKind kind, String serverPath) {}

    Unwatcher(String name, Watches watches, CallEngine engine, LongSupplier lastZxid) {
        this.name = name;
        this.watches = watches;
        this.engine = engine;
        this.lastZxid = lastZxid;
    }

    /**
     * Queues the removal of a server-side watch. Never blocks (the reader calls it). The queue
     * holds each (kind, path) once, so it is bounded by the watches the session held.
     */
    void enqueue(WatchKind kind, String serverPath) {
        lock.lock();
        try {
            if (stopped) {
                return; // the session's close takes every server-side watch with it
            }
            queue.add(new Unwatch(kind, serverPath));
            if (thread == null) {
                thread = Thread.ofVirtual().name("zk-unwatch-" + name).start(this::loop);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes no more work; the thread ends after the removal it is doing. */
    void stop() {
        lock.lock();
        try {
            stopped = true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits, until the deadline at most, for the thread to end. */
    void awaitEnd(long deadlineNanos) {
        Thread t;
        lock.lock();
        try {
            t = thread;
        } finally {
            lock.unlock();
        }
        Threads.joinUntil(t, deadlineNanos);
    }

    private void loop() {
        while (true) {
            Unwatch next;
            lock.lock();
            try {
                Iterator<Unwatch> it = queue.iterator();
                if (stopped || !it.hasNext()) {
                    queue.clear();
                    thread = null;
                    return;
                }
                next = it.next();
                it.remove();
            } finally {
                lock.unlock();
            }
            try {
                remove(next.kind(), next.serverPath());
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, () -> "removing the server's watch on " + next.serverPath() + " failed: " + e);
            }
        }
    }

    /**
     * Removes from the server a watch that no local watch needs any more: nothing of the kinds
     * that share it on the server (data and exists watches share one) waits on the path. Best
     * effort; blocks for at most the request timeout.
     *
     * <p>A local watch on the same path may have registered meanwhile: its call may have reached
     * the server before this removal, which would then have taken the server's watch from it.
     * So once the removal is answered, a persistent watch still wanted is added again, and a
     * one-shot watch still wanted is set again with {@code SetWatches} relative to the zxid seen
     * before the removal was sent: the server then fires it at once for any change after that
     * point, so no change is missed (at worst one the watch's own read already saw fires it).
     */
    void remove(WatchKind kind, String serverPath) {
        List<WatchKind> sharing = kind.sharingServerWatch();
        if (watches.has(sharing, serverPath)) {
            return; // someone watches it again
        }
        long zxid = lastZxid.getAsLong();
        try {
            engine.run(
                    OpCode.REMOVE_WATCHES,
                    new RemoveWatchesRequest(serverPath, kind.serverType().code()),
                    null,
                    null);
        } catch (Failure f) {
            return; // no such watch (it fired), or no connection: a reconnect re-arms what is wanted
        }
        if (!watches.has(sharing, serverPath)) {
            return;
        }
        try {
            again(kind, serverPath, zxid);
        } catch (Failure f) {
            // no connection: a reconnect re-arms what is wanted
        }
    }

    /** Sets again a watch that was wanted again while its removal was on its way. */
    private void again(WatchKind kind, String serverPath, long zxid) throws Failure {
        if (kind.isPersistent()) {
            AddWatchMode mode =
                    kind == WatchKind.PERSISTENT ? AddWatchMode.PERSISTENT : AddWatchMode.PERSISTENT_RECURSIVE;
            engine.run(OpCode.ADD_WATCH, new AddWatchRequest(serverPath, mode.mode()), null, null);
        } else {
            List<String> path = List.of(serverPath);
            List<String> none = List.of();
            SetWatches again = new SetWatches(
                    zxid,
                    watches.has(List.of(WatchKind.DATA), serverPath) ? path : none,
                    watches.has(List.of(WatchKind.EXIST), serverPath) ? path : none,
                    watches.has(List.of(WatchKind.CHILD), serverPath) ? path : none);
            engine.runReserved(OpCode.SET_WATCHES, again, Xids.SET_WATCHES);
        }
    }
}
