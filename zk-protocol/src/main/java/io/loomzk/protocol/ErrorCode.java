package io.loomzk.protocol;

/**
 * The result codes of {@code ReplyHeader.err}, {@code MultiHeader.err} and {@link ErrorResponse},
 * with their wire values.
 *
 * <p>Unknown codes decode to {@link #UNKNOWN}; the raw value stays in the record that carried it,
 * so nothing is coerced into a code the server did not send.
 */
public enum ErrorCode {
    OK(0, "ok"),
    SYSTEM_ERROR(-1, "system error"),
    RUNTIME_INCONSISTENCY(-2, "runtime inconsistency (in a multi: not applied because another op failed)"),
    DATA_INCONSISTENCY(-3, "data inconsistency"),
    CONNECTION_LOSS(-4, "connection loss"),
    MARSHALLING_ERROR(-5, "marshalling error"),
    UNIMPLEMENTED(-6, "operation not implemented by this server"),
    OPERATION_TIMEOUT(-7, "operation timeout"),
    BAD_ARGUMENTS(-8, "bad arguments"),
    UNKNOWN_SESSION(-12, "unknown session"),
    NEW_CONFIG_NO_QUORUM(-13, "no quorum of the new configuration is connected"),
    RECONFIG_IN_PROGRESS(-14, "another reconfiguration is in progress"),
    API_ERROR(-100, "API error"),
    NO_NODE(-101, "no node"),
    NO_AUTH(-102, "not authorized"),
    BAD_VERSION(-103, "version does not match"),
    NO_CHILDREN_FOR_EPHEMERALS(-108, "ephemeral nodes cannot have children"),
    NODE_EXISTS(-110, "node exists"),
    NOT_EMPTY(-111, "node has children"),
    SESSION_EXPIRED(-112, "session expired"),
    INVALID_CALLBACK(-113, "invalid callback"),
    INVALID_ACL(-114, "invalid ACL"),
    AUTH_FAILED(-115, "authentication failed"),
    SESSION_MOVED(-118, "session moved to another server"),
    NOT_READ_ONLY(-119, "not a read-only call on a read-only server"),
    EPHEMERAL_ON_LOCAL_SESSION(-120, "ephemeral node on a local session"),
    NO_WATCHER(-121, "no such watcher"),
    REQUEST_TIMEOUT(-122, "request timeout"),
    RECONFIG_DISABLED(-123, "reconfiguration is disabled"),
    SESSION_CLOSED_REQUIRE_SASL_AUTH(-124, "session closed: this server requires SASL authentication"),
    QUOTA_EXCEEDED(-125, "quota exceeded"),
    THROTTLED_OP(-127, "operation throttled by the server"),
    /** A code this version does not know. */
    UNKNOWN(Integer.MIN_VALUE, "unknown error code");

    private final int code;
    private final String description;

    ErrorCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The wire value. */
    public int code() {
        return code;
    }

    /** A short human description. */
    public String description() {
        return description;
    }

    /** The error code with this wire value, or {@link #UNKNOWN}. */
    public static ErrorCode of(int code) {
        return switch (code) {
            case 0 -> OK;
            case -1 -> SYSTEM_ERROR;
            case -2 -> RUNTIME_INCONSISTENCY;
            case -3 -> DATA_INCONSISTENCY;
            case -4 -> CONNECTION_LOSS;
            case -5 -> MARSHALLING_ERROR;
            case -6 -> UNIMPLEMENTED;
            case -7 -> OPERATION_TIMEOUT;
            case -8 -> BAD_ARGUMENTS;
            case -12 -> UNKNOWN_SESSION;
            case -13 -> NEW_CONFIG_NO_QUORUM;
            case -14 -> RECONFIG_IN_PROGRESS;
            case -100 -> API_ERROR;
            case -101 -> NO_NODE;
            case -102 -> NO_AUTH;
            case -103 -> BAD_VERSION;
            case -108 -> NO_CHILDREN_FOR_EPHEMERALS;
            case -110 -> NODE_EXISTS;
            case -111 -> NOT_EMPTY;
            case -112 -> SESSION_EXPIRED;
            case -113 -> INVALID_CALLBACK;
            case -114 -> INVALID_ACL;
            case -115 -> AUTH_FAILED;
            case -118 -> SESSION_MOVED;
            case -119 -> NOT_READ_ONLY;
            case -120 -> EPHEMERAL_ON_LOCAL_SESSION;
            case -121 -> NO_WATCHER;
            case -122 -> REQUEST_TIMEOUT;
            case -123 -> RECONFIG_DISABLED;
            case -124 -> SESSION_CLOSED_REQUIRE_SASL_AUTH;
            case -125 -> QUOTA_EXCEEDED;
            case -127 -> THROTTLED_OP;
            default -> UNKNOWN;
        };
    }

    /** The name of a raw code, e.g. {@code NO_NODE(-101)} or {@code UNKNOWN(-999)}. */
    public static String describe(int code) {
        return of(code).name() + "(" + code + ")";
    }
}
