package io.loomzk.protocol;

/**
 * The type of a request, as {@code RequestHeader.type} and {@code MultiHeader.type} carry it.
 *
 * <p>Unknown codes decode to {@link #UNKNOWN}; the raw value stays in the record that carried it.
 */
public enum OpCode {
    NOTIFICATION(0, null),
    CREATE(1, CreateRequest.class),
    DELETE(2, DeleteRequest.class),
    EXISTS(3, ExistsRequest.class),
    GET_DATA(4, GetDataRequest.class),
    SET_DATA(5, SetDataRequest.class),
    GET_ACL(6, GetACLRequest.class),
    SET_ACL(7, SetACLRequest.class),
    GET_CHILDREN(8, GetChildrenRequest.class),
    SYNC(9, SyncRequest.class),
    PING(11, null),
    GET_CHILDREN2(12, GetChildren2Request.class),
    CHECK(13, CheckVersionRequest.class),
    MULTI(14, MultiRequest.class),
    CREATE2(15, CreateRequest.class),
    RECONFIG(16, ReconfigRequest.class),
    CHECK_WATCHES(17, CheckWatchesRequest.class),
    REMOVE_WATCHES(18, RemoveWatchesRequest.class),
    CREATE_CONTAINER(19, CreateRequest.class),
    DELETE_CONTAINER(20, DeleteRequest.class),
    CREATE_TTL(21, CreateTTLRequest.class),
    MULTI_READ(22, MultiRequest.class),
    AUTH(100, AuthPacket.class),
    SET_WATCHES(101, SetWatches.class),
    SASL(102, GetSASLRequest.class),
    GET_EPHEMERALS(103, GetEphemeralsRequest.class),
    GET_ALL_CHILDREN_NUMBER(104, GetAllChildrenNumberRequest.class),
    SET_WATCHES2(105, SetWatches2.class),
    ADD_WATCH(106, AddWatchRequest.class),
    WHO_AM_I(107, null),
    CREATE_SESSION(-10, null),
    CLOSE_SESSION(-11, null),
    ERROR(-1, null),
    /** A code this version does not know. */
    UNKNOWN(Integer.MIN_VALUE, null);

    private final int code;
    private final Class<? extends Request> requestType;

    OpCode(int code, Class<? extends Request> requestType) {
        this.code = code;
        this.requestType = requestType;
    }

    /** The wire value. */
    public int code() {
        return code;
    }

    /** The body type a request of this op code carries, or null if it is only a header. */
    public Class<? extends Request> requestType() {
        return requestType;
    }

    /** The op code with this wire value, or {@link #UNKNOWN}. */
    public static OpCode of(int code) {
        return switch (code) {
            case 0 -> NOTIFICATION;
            case 1 -> CREATE;
            case 2 -> DELETE;
            case 3 -> EXISTS;
            case 4 -> GET_DATA;
            case 5 -> SET_DATA;
            case 6 -> GET_ACL;
            case 7 -> SET_ACL;
            case 8 -> GET_CHILDREN;
            case 9 -> SYNC;
            case 11 -> PING;
            case 12 -> GET_CHILDREN2;
            case 13 -> CHECK;
            case 14 -> MULTI;
            case 15 -> CREATE2;
            case 16 -> RECONFIG;
            case 17 -> CHECK_WATCHES;
            case 18 -> REMOVE_WATCHES;
            case 19 -> CREATE_CONTAINER;
            case 20 -> DELETE_CONTAINER;
            case 21 -> CREATE_TTL;
            case 22 -> MULTI_READ;
            case 100 -> AUTH;
            case 101 -> SET_WATCHES;
            case 102 -> SASL;
            case 103 -> GET_EPHEMERALS;
            case 104 -> GET_ALL_CHILDREN_NUMBER;
            case 105 -> SET_WATCHES2;
            case 106 -> ADD_WATCH;
            case 107 -> WHO_AM_I;
            case -10 -> CREATE_SESSION;
            case -11 -> CLOSE_SESSION;
            case -1 -> ERROR;
            default -> UNKNOWN;
        };
    }
}
