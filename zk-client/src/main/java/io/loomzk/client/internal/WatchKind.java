package io.loomzk.client.internal;

import io.loomzk.protocol.WatcherType;

/** The five kinds of watch a session can hold, as the server and SetWatches2 know them. */
public enum WatchKind {
    /** Set by getData, and by exists on a node that exists. */
    DATA(WatcherType.DATA),
    /** Set by exists on a node that does not exist: fires on its creation. */
    EXIST(WatcherType.DATA),
    /** Set by getChildren. */
    CHILD(WatcherType.CHILDREN),
    /** addWatch PERSISTENT. */
    PERSISTENT(WatcherType.PERSISTENT),
    /** addWatch PERSISTENT_RECURSIVE. */
    PERSISTENT_RECURSIVE(WatcherType.PERSISTENT_RECURSIVE);

    private final WatcherType serverType;

    WatchKind(WatcherType serverType) {
        this.serverType = serverType;
    }

    /** The watcher type that removes this kind on the server. */
    public WatcherType serverType() {
        return serverType;
    }

    /**
     * The kinds that one server-side watch of this kind serves: data and exists watches are one
     * data watch on the server; every other kind stands alone.
     */
    java.util.List<WatchKind> sharingServerWatch() {
        return switch (this) {
            case DATA, EXIST -> java.util.List.of(DATA, EXIST);
            default -> java.util.List.of(this);
        };
    }

    boolean isPersistent() {
        return this == PERSISTENT || this == PERSISTENT_RECURSIVE;
    }
}
