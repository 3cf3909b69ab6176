package io.loomzk.protocol;

/** The {@code flags} of a create request: lifetime, sequencing, container and TTL. */
public enum CreateMode {
    PERSISTENT(0, false, false),
    EPHEMERAL(1, true, false),
    PERSISTENT_SEQUENTIAL(2, false, true),
    EPHEMERAL_SEQUENTIAL(3, true, true),
    /** Deleted by the server some time after its last child is deleted. */
    CONTAINER(4, false, false),
    /** Deleted by the server when it has had no children and no change for its TTL. */
    PERSISTENT_WITH_TTL(5, false, false),
    PERSISTENT_SEQUENTIAL_WITH_TTL(6, false, true);

    private final int flag;
    private final boolean ephemeral;
    private final boolean sequential;

    CreateMode(int flag, boolean ephemeral, boolean sequential) {
        this.flag = flag;
        this.ephemeral = ephemeral;
        this.sequential = sequential;
    }

    /** The wire value of {@code CreateRequest.flags}. */
    public int flag() {
        return flag;
    }

    /** Whether the node goes away with the session that created it. */
    public boolean isEphemeral() {
        return ephemeral;
    }

    /** Whether the server appends a 10-digit sequence number to the name. */
    public boolean isSequential() {
        return sequential;
    }

    /** Whether this is {@link #CONTAINER}. */
    public boolean isContainer() {
        return this == CONTAINER;
    }

    /** Whether the node has a time to live (and is sent with {@link OpCode#CREATE_TTL}). */
    public boolean isTtl() {
        return this == PERSISTENT_WITH_TTL || this == PERSISTENT_SEQUENTIAL_WITH_TTL;
    }

    /**
     * The mode with this flag value.
     *
     * @throws IllegalArgumentException if no mode has it
     */
    public static CreateMode of(int flag) {
        return switch (flag) {
            case 0 -> PERSISTENT;
            case 1 -> EPHEMERAL;
            case 2 -> PERSISTENT_SEQUENTIAL;
            case 3 -> EPHEMERAL_SEQUENTIAL;
            case 4 -> CONTAINER;
            case 5 -> PERSISTENT_WITH_TTL;
            case 6 -> PERSISTENT_SEQUENTIAL_WITH_TTL;
            default -> throw new IllegalArgumentException("unknown create mode flag " + flag);
        };
    }
}
