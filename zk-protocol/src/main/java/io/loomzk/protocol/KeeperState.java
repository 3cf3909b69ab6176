package io.loomzk.protocol;

/** {@code WatcherEvent.state}: the server's view of the session. Unknown codes decode to {@link #UNKNOWN}. */
public enum KeeperState {
    DISCONNECTED(0),
    NO_SYNC_CONNECTED(1),
    SYNC_CONNECTED(3),
    AUTH_FAILED(4),
    CONNECTED_READ_ONLY(5),
    SASL_AUTHENTICATED(6),
    EXPIRED(-112),
    CLOSED(7),
    /** The wire's own "unknown" (-1), and any code this version does not know. */
    UNKNOWN(-1);

    private final int code;

    KeeperState(int code) {
        this.code = code;
    }

    /** The wire value. */
    public int code() {
        return code;
    }

    /** The state with this wire value, or {@link #UNKNOWN}. */
    public static KeeperState of(int code) {
        return switch (code) {
            case 0 -> DISCONNECTED;
            case 1 -> NO_SYNC_CONNECTED;
            case 3 -> SYNC_CONNECTED;
            case 4 -> AUTH_FAILED;
            case 5 -> CONNECTED_READ_ONLY;
            case 6 -> SASL_AUTHENTICATED;
            case -112 -> EXPIRED;
            case 7 -> CLOSED;
            default -> UNKNOWN;
        };
    }
}
