package io.loomzk.protocol;

/** {@code AddWatchRequest.mode}: a persistent watch on one node, or on a node and its whole subtree. */
public enum AddWatchMode {
    /** Data and child events of one node, until removed. */
    PERSISTENT(0),
    /** Data events of a node and every node below it, until removed. */
    PERSISTENT_RECURSIVE(1);

    private final int mode;

    AddWatchMode(int mode) {
        this.mode = mode;
    }

    /** The wire value. */
    public int mode() {
        return mode;
    }

    /**
     * The mode with this wire value.
     *
     * @throws IllegalArgumentException if no mode has it
     */
    public static AddWatchMode of(int mode) {
        return switch (mode) {
            case 0 -> PERSISTENT;
            case 1 -> PERSISTENT_RECURSIVE;
            default -> throw new IllegalArgumentException("unknown add-watch mode " + mode);
        };
    }
}
