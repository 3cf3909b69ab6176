package io.loomzk.client.internal;

import io.loomzk.protocol.ErrorCode;
import io.loomzk.protocol.EventType;
import io.loomzk.protocol.WatcherEvent;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * The session's watches: which sinks wait on which server path, for each {@link WatchKind}.
 *
 * <p>The reader registers a watch (through its {@link Registration}) before it completes the
 * call that set it, and dispatches notifications on the same thread, so an event can never
 * overtake the registration of the watch it fires. One-shot watches are removed when they fire,
 * as the server removes its own. Sinks only record events (they never run user code), so the
 * lock is held only for map updates and hand-offs.
 */
public final class Watches {
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock: kind → server path → sinks. */
    private final EnumMap<WatchKind, Map<String, List<WatchSink>>> byKind = new EnumMap<>(WatchKind.class);

    /**
     * Guarded by lock: for every path holding a recursive watch, its {@link String#hashCode()},
     * with how many such paths share it. Dispatch computes the hash of every ancestor prefix of
     * an event's path in one pass over its characters (a string's hash is built left to right),
     * and looks a prefix up in the map only when its hash is here: one event costs time in
     * proportion to its path, not to its depth times its length.
     */
    private final HashMap<Integer, Integer> recursiveHashes = new HashMap<>();

    private final String chroot;
    /** Guarded by lock: why every watch ended, while the session is over; null while it lives. */
    private Failure ended;

    /**
     * Asked to remove a server-side watch nobody local needs any more (it checks again, since a
     * watch of a kind sharing it may remain); must not block.
     */
    private final BiConsumer<WatchKind, String> orphaned;

    Watches(String chroot, BiConsumer<WatchKind, String> orphaned) {
        this.chroot = chroot;
        this.orphaned = orphaned;
        for (WatchKind kind : WatchKind.values()) {
            byKind.put(kind, new HashMap<>());
        }
    }

    /**
     * A registration to attach to the call that sets a watch.
     *
     * @param onOk the kind to register when the call succeeds
     * @param onNoNode the kind to register when it fails with no-node (exists), or null
     */
    public Registration registration(WatchKind onOk, WatchKind onNoNode, String serverPath, WatchSink sink) {
        return new Registration(onOk, onNoNode, serverPath, sink);
    }

    /** Registers a watch when the reply that set it arrives (see {@link Call#watch}). */
    public final class Registration implements WatchRegistration {
        private final WatchKind onOk;
        private final WatchKind onNoNode;
        private final String serverPath;
        private final WatchSink sink;
        /** Guarded by the registry's lock. */
        private WatchKind registeredAs;
        /** Guarded by the registry's lock. */
        private boolean cancelled;

        private Registration(WatchKind onOk, WatchKind onNoNode, String serverPath, WatchSink sink) {
            this.onOk = onOk;
            this.onNoNode = onNoNode;
            this.serverPath = serverPath;
            this.sink = sink;
        }

        @Override
        public void onReply(int err, boolean abandoned) {
            WatchKind kind = err == 0 ? onOk : err == ErrorCode.NO_NODE.code() ? onNoNode : null;
            if (kind == null) {
                return;
            }
            boolean orphan;
            Failure sessionEnded;
            lock.lock();
            try {
                sessionEnded = ended;
                orphan = cancelled || (abandoned && kind.isPersistent());
                if (!orphan && sessionEnded == null) {
                    add(kind, serverPath, sink);
                    registeredAs = kind;
                }
            } finally {
                lock.unlock();
            }
            if (sessionEnded != null) {
                sink.end(sessionEnded); // the reply outran the session's end: the watch ends too
            } else if (orphan) {
                orphaned.accept(kind, serverPath); // the server set a watch nobody here wants
            }
        }

        /**
         * Called by a caller that gave up on the call: undoes the registration if it happened,
         * or prevents it.
         *
         * @return true if the server may hold a watch no local sink needs any more
         */
        public boolean cancel() {
            lock.lock();
            try {
                cancelled = true;
                return registeredAs != null && removeLocked(registeredAs, serverPath, sink);
            } finally {
                lock.unlock();
            }
        }

        /**
         * {@link #cancel()}, and if that took the last local watch of its kind on the path, has
         * the server's watch removed too, in the background (on the session's unwatch thread):
         * does not block. A reply still on its way is handled when it comes.
         */
        public void cancelEverywhere() {
            WatchKind kind;
            boolean last;
            lock.lock();
            try {
                cancelled = true;
                kind = registeredAs;
                last = kind != null && removeLocked(kind, serverPath, sink);
            } finally {
                lock.unlock();
            }
            if (last) {
                orphaned.accept(kind, serverPath);
            }
        }

        /** The kind the watch was registered as, or null if not (yet). */
        public WatchKind registeredAs() {
            lock.lock();
            try {
                return registeredAs;
            } finally {
                lock.unlock();
            }
        }
    }

    private void add(WatchKind kind, String serverPath, WatchSink sink) {
        Map<String, List<WatchSink>> map = byKind.get(kind);
        List<WatchSink> sinks = map.get(serverPath);
        if (sinks == null) {
            sinks = new ArrayList<>(1);
            map.put(serverPath, sinks);
            if (kind == WatchKind.PERSISTENT_RECURSIVE) {
                recursiveHashes.merge(serverPath.hashCode(), 1, Integer::sum);
            }
        }
        sinks.add(sink);
    }

    /** Removes a path's sinks of a kind from the map, keeping the recursive index in step. */
    private List<WatchSink> removePath(WatchKind kind, String serverPath) {
        List<WatchSink> sinks = byKind.get(kind).remove(serverPath);
        if (sinks != null && kind == WatchKind.PERSISTENT_RECURSIVE) {
            recursiveHashes.computeIfPresent(serverPath.hashCode(), (h, n) -> n == 1 ? null : n - 1);
        }
        return sinks;
    }

    /**
     * Removes one sink.
     *
     * @return true if it was the last sink of that kind on that path, so the server's watch is
     *     no longer needed
     */
    public boolean remove(WatchKind kind, String serverPath, WatchSink sink) {
        lock.lock();
        try {
            return removeLocked(kind, serverPath, sink);
        } finally {
            lock.unlock();
        }
    }

    private boolean removeLocked(WatchKind kind, String serverPath, WatchSink sink) {
        Map<String, List<WatchSink>> map = byKind.get(kind);
        List<WatchSink> sinks = map.get(serverPath);
        if (sinks == null || !sinks.remove(sink)) {
            return false;
        }
        if (sinks.isEmpty()) {
            removePath(kind, serverPath);
            return true;
        }
        return false;
    }

    /**
     * Removes every sink of these kinds on a path: each gets a "watch removed" event, and
     * persistent ones then end.
     *
     * @return how many sinks were removed
     */
    public int removeAll(List<WatchKind> kinds, String serverPath, int removedEventType) {
        String clientPath = Paths.toClient(chroot, serverPath);
        int removed = 0;
        lock.lock();
        try {
            for (WatchKind kind : kinds) {
                List<WatchSink> sinks = removePath(kind, serverPath);
                if (sinks == null) {
                    continue;
                }
                for (WatchSink sink : sinks) {
                    sink.fire(removedEventType, clientPath, -1);
                    if (kind.isPersistent()) {
                        sink.end(null);
                    }
                    removed++;
                }
            }
        } finally {
            lock.unlock();
        }
        return removed;
    }

    /** Whether any sink of these kinds waits on a path. */
    public boolean has(List<WatchKind> kinds, String serverPath) {
        lock.lock();
        try {
            for (WatchKind kind : kinds) {
                if (byKind.get(kind).containsKey(serverPath)) {
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Delivers a notification to every sink it concerns. Called on the reader thread. */
    void dispatch(WatcherEvent event, long zxid) {
        EventType type = EventType.of(event.type());
        String serverPath = event.path();
        if (serverPath == null || type == EventType.NONE || type == EventType.UNKNOWN) {
            return; // state-only or unknown events carry nothing to deliver
        }
        String clientPath = Paths.toClient(chroot, serverPath);
        List<Orphan> overflowed = null;
        lock.lock();
        try {
            switch (type) {
                case NODE_CREATED, NODE_DATA_CHANGED -> {
                    fireOnce(WatchKind.DATA, serverPath, event.type(), clientPath, zxid);
                    fireOnce(WatchKind.EXIST, serverPath, event.type(), clientPath, zxid);
                }
                case NODE_DELETED -> {
                    fireOnce(WatchKind.DATA, serverPath, event.type(), clientPath, zxid);
                    fireOnce(WatchKind.EXIST, serverPath, event.type(), clientPath, zxid);
                    fireOnce(WatchKind.CHILD, serverPath, event.type(), clientPath, zxid);
                }
                case NODE_CHILDREN_CHANGED -> fireOnce(WatchKind.CHILD, serverPath, event.type(), clientPath, zxid);
                default -> {}
            }
            overflowed = firePersistent(WatchKind.PERSISTENT, serverPath, event.type(), clientPath, zxid, null);
            if (type != EventType.NODE_CHILDREN_CHANGED && !recursiveHashes.isEmpty()) {
                overflowed = fireRecursive(serverPath, event.type(), clientPath, zxid, overflowed);
            }
        } finally {
            lock.unlock();
        }
        if (overflowed != null) {
            for (Orphan orphan : overflowed) {
                orphaned.accept(orphan.kind(), orphan.serverPath());
            }
        }
    }

    private void fireOnce(WatchKind kind, String serverPath, int type, String clientPath, long zxid) {
        List<WatchSink> sinks = byKind.get(kind).remove(serverPath);
        if (sinks != null) {
            for (WatchSink sink : sinks) {
                sink.fire(type, clientPath, zxid);
            }
        }
    }

    /**
     * Fires the recursive watches on the path and on each of its ancestors ({@code /} included).
     * One pass over the path's characters keeps the running {@link String#hashCode()} of the
     * prefix read so far; at each {@code /} (and at the end) that is the hash of an ancestor, and
     * only an ancestor whose hash some recursive watch has is looked up by name.
     */
    private List<Orphan> fireRecursive(
            String serverPath, int type, String clientPath, long zxid, List<Orphan> overflowed) {
        int h = 0;
        int length = serverPath.length();
        for (int i = 0; i < length; i++) {
            char c = serverPath.charAt(i);
            if (c == '/' && i > 0) {
                overflowed = fireRecursiveAt(serverPath, i, h, type, clientPath, zxid, overflowed);
            }
            h = 31 * h + c;
            if (i == 0) {
                overflowed = fireRecursiveAt(serverPath, 1, h, type, clientPath, zxid, overflowed); // the root
            }
        }
        if (length > 1) {
            overflowed = fireRecursiveAt(serverPath, length, h, type, clientPath, zxid, overflowed);
        }
        return overflowed;
    }

    /** Fires the recursive watches on the prefix {@code serverPath[0, end)}, whose hash is {@code hash}. */
    private List<Orphan> fireRecursiveAt(
            String serverPath, int end, int hash, int type, String clientPath, long zxid, List<Orphan> overflowed) {
        if (!recursiveHashes.containsKey(hash)) {
            return overflowed;
        }
        String prefix = end == serverPath.length() ? serverPath : serverPath.substring(0, end);
        return firePersistent(WatchKind.PERSISTENT_RECURSIVE, prefix, type, clientPath, zxid, overflowed);
    }

    /** A server-side watch that no local sink needs any more. */
    private record Orphan(WatchKind kind, String serverPath) {}

    /** Fires persistent sinks; adds to {@code overflowed} the watches whose last sink overflowed. */
    private List<Orphan> firePersistent(
            WatchKind kind, String serverPath, int type, String clientPath, long zxid, List<Orphan> overflowed) {
        Map<String, List<WatchSink>> map = byKind.get(kind);
        List<WatchSink> sinks = map.get(serverPath);
        if (sinks == null) {
            return overflowed;
        }
        sinks.removeIf(sink -> !sink.fire(type, clientPath, zxid));
        if (sinks.isEmpty()) {
            removePath(kind, serverPath);
            if (overflowed == null) {
                overflowed = new ArrayList<>(1);
            }
            overflowed.add(new Orphan(kind, serverPath));
        }
        return overflowed;
    }

    /** The server paths of every watch, by kind, for re-arming on a new connection. */
    Map<WatchKind, List<String>> snapshot() {
        EnumMap<WatchKind, List<String>> paths = new EnumMap<>(WatchKind.class);
        lock.lock();
        try {
            byKind.forEach((kind, map) -> paths.put(kind, new ArrayList<>(map.keySet())));
        } finally {
            lock.unlock();
        }
        return paths;
    }

    /** Ends every watch, and every one a late reply would register: the session is over. */
    void endAll(Failure why) {
        lock.lock();
        try {
            ended = why;
            for (Map<String, List<WatchSink>> map : byKind.values()) {
                for (List<WatchSink> sinks : map.values()) {
                    for (WatchSink sink : sinks) {
                        sink.end(why);
                    }
                }
                map.clear();
            }
            recursiveHashes.clear();
        } finally {
            lock.unlock();
        }
    }

    /** Accepts watches again: a new session starts. */
    void reopen() {
        lock.lock();
        try {
            ended = null;
        } finally {
            lock.unlock();
        }
    }

    /** The number of (kind, path) pairs the server should hold a watch for. */
    public int serverWatchCount() {
        lock.lock();
        try {
            int n = 0;
            for (Map<String, List<WatchSink>> map : byKind.values()) {
                n += map.size();
            }
            return n;
        } finally {
            lock.unlock();
        }
    }
}
