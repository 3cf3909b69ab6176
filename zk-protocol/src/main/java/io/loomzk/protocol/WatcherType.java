package io.loomzk.protocol;

/** The {@code type} of check-watches and remove-watches requests: which watches of a path. */
public enum WatcherType {
    CHILDREN(1),
    DATA(2),
    ANY(3),
    PERSISTENT(4),
    PERSISTENT_RECURSIVE(5);

    private final int code;

    WatcherType(int code) {
        this.code = code;
    }

    /** The wire value. */
    public int code() {
        return code;
    }

    /**
     * The watcher type with this wire value.
     *
     * @throws IllegalArgumentException if none has it
     */
    public static WatcherType of(int code) {
        return switch (code) {
            case 1 -> CHILDREN;
            case 2 -> DATA;
            case 3 -> ANY;
            case 4 -> PERSISTENT;
            case 5 -> PERSISTENT_RECURSIVE;
            default -> throw new IllegalArgumentException("unknown watcher type " + code);
        };
    }
}
