package io.loomzk.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.protocol.EventType;
import io.loomzk.protocol.WatcherEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Which sinks an event reaches: recursive watches on the path and its ancestors, and no others. */
class WatchesTest {
    private final List<String> orphans = new CopyOnWriteArrayList<>();

    /** Records the paths it was fired with. */
    private static final class Sink implements WatchSink {
        final List<String> fired = new ArrayList<>();
        final int capacity;

        Sink(int capacity) {
            this.capacity = capacity;
        }

        Sink() {
            this(Integer.MAX_VALUE);
        }

        @Override
        public boolean fire(int eventType, String clientPath, long zxid) {
            if (fired.size() >= capacity) {
                return false;
            }
            fired.add(clientPath);
            return true;
        }

        @Override
        public void end(Failure why) {}
    }

    private Watches watches(String chroot) {
        return new Watches(chroot, (kind, path) -> orphans.add(kind + " " + path));
    }

    private static Watches.Registration add(Watches w, WatchKind kind, String serverPath, WatchSink sink) {
        Watches.Registration r = w.registration(kind, null, serverPath, sink);
        r.onReply(0, false);
        return r;
    }

    private static void event(Watches w, EventType type, String serverPath) {
        w.dispatch(new WatcherEvent(type.code(), 3, serverPath), 7);
    }

    @Test
    void anEventReachesTheRecursiveWatchesOnItsPathAndItsAncestorsOnly() {
        Watches w = watches("");
        Sink root = new Sink();
        Sink a = new Sink();
        Sink abc = new Sink();
        Sink ab = new Sink(); // "/ab" shares a prefix with "/a/..." but is no ancestor
        Sink below = new Sink();
        Sink exact = new Sink();
        add(w, WatchKind.PERSISTENT_RECURSIVE, "/", root);
        add(w, WatchKind.PERSISTENT_RECURSIVE, "/a", a);
        add(w, WatchKind.PERSISTENT_RECURSIVE, "/a/b/c", abc);
        add(w, WatchKind.PERSISTENT_RECURSIVE, "/ab", ab);
        add(w, WatchKind.PERSISTENT_RECURSIVE, "/a/b/c/d", below);
        add(w, WatchKind.PERSISTENT, "/a/b/c", exact);

        event(w, EventType.NODE_DATA_CHANGED, "/a/b/c");
        assertThat(root.fired).containsExactly("/a/b/c");
        assertThat(a.fired).containsExactly("/a/b/c");
        assertThat(abc.fired).containsExactly("/a/b/c");
        assertThat(exact.fired).containsExactly("/a/b/c");
        assertThat(ab.fired).isEmpty();
        assertThat(below.fired).isEmpty();

        event(w, EventType.NODE_CHILDREN_CHANGED, "/a/b/c"); // recursive watches take no child events
        assertThat(abc.fired).hasSize(1);
        assertThat(exact.fired).hasSize(2);

        event(w, EventType.NODE_CREATED, "/");
        assertThat(root.fired).containsExactly("/a/b/c", "/");
        assertThat(a.fired).hasSize(1);
    }

    @Test
    void aPathWhoseHashCollidesWithAWatchedAncestorIsNotFired() {
        assertThat("/Aa".hashCode()).isEqualTo("/BB".hashCode());
        Watches w = watches("");
        Sink aa = new Sink();
        add(w, WatchKind.PERSISTENT_RECURSIVE, "/Aa", aa);
        event(w, EventType.NODE_DELETED, "/BB/x");
        event(w, EventType.NODE_DELETED, "/BB");
        assertThat(aa.fired).isEmpty();
        event(w, EventType.NODE_DELETED, "/Aa/x");
        assertThat(aa.fired).containsExactly("/Aa/x");
    }

    @Test
    void removedRecursiveWatchesStopFiringAndCollidingOnesStayIndexed() {
        Watches w = watches("");
        Sink aa = new Sink();
        Sink bb = new Sink();
        add(w, WatchKind.PERSISTENT_RECURSIVE, "/Aa", aa);
        add(w, WatchKind.PERSISTENT_RECURSIVE, "/BB", bb); // same hash
        assertThat(w.remove(WatchKind.PERSISTENT_RECURSIVE, "/Aa", aa)).isTrue();
        event(w, EventType.NODE_CREATED, "/Aa/1");
        event(w, EventType.NODE_CREATED, "/BB/1");
        assertThat(aa.fired).isEmpty();
        assertThat(bb.fired).containsExactly("/BB/1");

        w.removeAll(List.of(WatchKind.PERSISTENT_RECURSIVE), "/BB", EventType.PERSISTENT_WATCH_REMOVED.code());
        event(w, EventType.NODE_CREATED, "/BB/2");
        assertThat(bb.fired).containsExactly("/BB/1", "/BB");

        Sink again = new Sink();
        add(w, WatchKind.PERSISTENT_RECURSIVE, "/BB", again);
        event(w, EventType.NODE_CREATED, "/BB/3");
        assertThat(again.fired).containsExactly("/BB/3");
    }

    @Test
    void anOverflowedRecursiveWatchIsDroppedAndReportedOnce() {
        Watches w = watches("");
        Sink full = new Sink(1);
        add(w, WatchKind.PERSISTENT_RECURSIVE, "/q", full);
        event(w, EventType.NODE_CREATED, "/q/1");
        event(w, EventType.NODE_CREATED, "/q/2"); // overflows
        event(w, EventType.NODE_CREATED, "/q/3");
        assertThat(full.fired).containsExactly("/q/1");
        assertThat(orphans).containsExactly("PERSISTENT_RECURSIVE /q");
        assertThat(w.serverWatchCount()).isZero();
    }

    @Test
    void endingEveryWatchClearsTheIndexAndANewSessionIndexesAgain() {
        Watches w = watches("");
        add(w, WatchKind.PERSISTENT_RECURSIVE, "/e", new Sink());
        w.endAll(Failure.SessionEnded.closed());
        w.reopen();
        Sink fresh = new Sink();
        add(w, WatchKind.PERSISTENT_RECURSIVE, "/e", fresh);
        event(w, EventType.NODE_DATA_CHANGED, "/e/f");
        assertThat(fresh.fired).containsExactly("/e/f");
    }

    @Test
    void underAChrootSinksSeeClientPathsAndTheChrootItselfIsTheirRoot() {
        Watches w = watches("/app");
        Sink chrootRoot = new Sink();
        Sink x = new Sink();
        add(w, WatchKind.PERSISTENT_RECURSIVE, "/app", chrootRoot);
        add(w, WatchKind.PERSISTENT_RECURSIVE, "/app/x", x);
        event(w, EventType.NODE_CREATED, "/app/x/y");
        assertThat(chrootRoot.fired).containsExactly("/x/y");
        assertThat(x.fired).containsExactly("/x/y");
    }

    @Test
    void aVeryDeepPathReachesItsRecursiveWatchesAndIsDispatchedWithoutAny() {
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            deep.append("/d");
        }
        String path = deep.toString();
        Watches w = watches("");
        Sink one = new Sink();
        add(w, WatchKind.DATA, path, one);
        event(w, EventType.NODE_DATA_CHANGED, path); // no recursive watch at all
        assertThat(one.fired).containsExactly(path);

        Sink root = new Sink();
        Sink middle = new Sink();
        add(w, WatchKind.PERSISTENT_RECURSIVE, "/", root);
        add(w, WatchKind.PERSISTENT_RECURSIVE, path.substring(0, 100_000), middle);
        event(w, EventType.NODE_DELETED, path);
        assertThat(root.fired).containsExactly(path);
        assertThat(middle.fired).containsExactly(path);
    }
}
