package io.loomzk.protocol;

/** {@code WatcherEvent.type}: what happened to a watched node. Unknown codes decode to {@link #UNKNOWN}. */
public enum EventType {
    NONE(-1),
    NODE_CREATED(1),
    NODE_DELETED(2),
    NODE_DATA_CHANGED(3),
    NODE_CHILDREN_CHANGED(4),
    DATA_WATCH_REMOVED(5),
    CHILD_WATCH_REMOVED(6),
    PERSISTENT_WATCH_REMOVED(7),
    /** A code this version does not know. */
    UNKNOWN(Integer.MIN_VALUE);

    private final int code;

    EventType(int code) {
        this.code = code;
    }

    /** The wire value. */
    public int code() {
        return code;
    }

    /** The event type with this wire value, or {@link #UNKNOWN}. */
    public static EventType of(int code) {
        return switch (code) {
            case -1 -> NONE;
            case 1 -> NODE_CREATED;
            case 2 -> NODE_DELETED;
            case 3 -> NODE_DATA_CHANGED;
            case 4 -> NODE_CHILDREN_CHANGED;
            case 5 -> DATA_WATCH_REMOVED;
            case 6 -> CHILD_WATCH_REMOVED;
            case 7 -> PERSISTENT_WATCH_REMOVED;
            default -> UNKNOWN;
        };
    }
}
