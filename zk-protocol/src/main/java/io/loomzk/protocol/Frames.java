package io.loomzk.protocol;

/**
 * Frames on a ZooKeeper connection: a 4-byte big-endian length, then that many bytes.
 *
 * <p>The client's first frame is a {@link ConnectRequest} and the server's first a
 * {@link ConnectResponse}; every later client frame is a {@link RequestHeader} and a body, and
 * every later server frame a {@link ReplyHeader} and (when {@code err} is 0) a body whose type
 * depends on the op code of the request with the same xid.
 *
 * <p>The encoders here allocate one array of exactly the frame's size, length prefix included,
 * ready to be written to a socket.
 */
public final class Frames {
    /** jute.maxbuffer's default, 1 MiB - 1: the largest frame body a peer accepts by default. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 0xFFFFF;

    /** The bytes of a frame's length prefix. */
    public static final int LENGTH_BYTES = 4;

    /**
     * What a data reply adds to the data it carries: a {@link ReplyHeader}, the data's length
     * field and a {@link Stat} (88 bytes). A request that carries data spends at least 22 bytes on
     * its header, path and version, so a client that accepts replies of
     * {@link #maxReplyFrameBytes maxFrameBytes plus this} can read back any data it could write
     * with the same {@code maxFrameBytes}.
     */
    public static final int REPLY_OVERHEAD_BYTES = ReplyHeader.SIZE + 4 + Stat.SIZE;

    private Frames() {}

    /**
     * Encodes a request frame: length, {@link RequestHeader}, body.
     *
     * @param body the body {@code op} takes, or null when {@link OpCode#requestType()} is null
     * @throws IllegalArgumentException if the body is not the type {@code op} takes, or if
     *     {@code op} never goes out in a request frame (notification, error, unknown, and
     *     createSession, whose handshake is a {@link #connectRequest} without a header)
     */
    public static byte[] request(int xid, OpCode op, Request body) {
        checkPairing(op, body);
        int ascii = body == null ? 0 : asciiEncodedSize(body);
        if (ascii >= 0) {
            // Sized as if every string were ASCII, which saves a pass over each string (the
            // write checks each one anyway). A longer string's UTF-8 runs past the end of the
            // array, and then the frame is sized exactly and written again.
            byte[] buf = new byte[LENGTH_BYTES + RequestHeader.SIZE + ascii];
            try {
                if (write(buf, 0, xid, op, body) == buf.length) {
                    return buf;
                }
            } catch (IndexOutOfBoundsException notAscii) {
                // fall through
            }
        }
        int length = RequestHeader.SIZE + (body == null ? 0 : body.encodedSize());
        byte[] buf = new byte[LENGTH_BYTES + length];
        int off = Encoding.putInt(buf, 0, length);
        off = Encoding.putInt(buf, off, xid);
        off = Encoding.putInt(buf, off, op.code());
        if (body != null) {
            off = body.writeTo(buf, off);
        }
        Encoding.checkWritten(body == null ? op : body, off, buf.length);
        return buf;
    }

    /**
     * The encoded size of the bodies clients send most, if their strings are ASCII (a lower bound
     * of {@link Request#encodedSize()}, found without reading the strings), or -1 for others.
     */
    private static int asciiEncodedSize(Request body) {
        return switch (body) {
            case GetDataRequest r -> 1 + Encoding.asciiSizeOf(r.path());
            case ExistsRequest r -> 1 + Encoding.asciiSizeOf(r.path());
            case GetChildren2Request r -> 1 + Encoding.asciiSizeOf(r.path());
            case GetChildrenRequest r -> 1 + Encoding.asciiSizeOf(r.path());
            case SetDataRequest r -> 4 + Encoding.asciiSizeOf(r.path()) + Encoding.sizeOf(r.data());
            case DeleteRequest r -> 4 + Encoding.asciiSizeOf(r.path());
            case CreateRequest r ->
                4 + Encoding.asciiSizeOf(r.path()) + Encoding.sizeOf(r.data()) + Encoding.sizeOfRecords(r.acl());
            default -> -1;
        };
    }

    /**
     * Encodes a request frame (length, {@link RequestHeader}, body) into {@code buf} at
     * {@code off} in one pass (the length is filled in last), for writers that batch frames into
     * one buffer without allocating. The frame takes {@link #requestFrameBytes} bytes; the caller
     * makes room for them.
     *
     * @param body the body {@code op} takes, or null when {@link OpCode#requestType()} is null
     * @return the offset just past the frame
     * @throws IllegalArgumentException if the body is not the type {@code op} takes
     * @throws IndexOutOfBoundsException if the frame does not fit (the buffer is then garbage)
     */
    public static int writeRequest(byte[] buf, int off, int xid, OpCode op, Request body) {
        checkPairing(op, body);
        return write(buf, off, xid, op, body);
    }

    private static int write(byte[] buf, int off, int xid, OpCode op, Request body) {
        int end = Encoding.putInt(buf, off + LENGTH_BYTES, xid);
        end = Encoding.putInt(buf, end, op.code());
        if (body != null) {
            end = body.writeTo(buf, end);
        }
        Encoding.putInt(buf, off, end - off - LENGTH_BYTES);
        return end;
    }

    /**
     * Encodes, like {@link #writeRequest}, the frame of a request whose body is a path and a
     * watch flag (getData, exists, getChildren, getChildren2), straight from the path: the same
     * bytes as {@code writeRequest(buf, off, xid, op, new GetDataRequest(path, watch))} and its
     * kin, without the request record. It serves a client's hottest reads, which would otherwise
     * allocate a record only to encode it once. The frame takes {@link #pathRequestFrameBytes}
     * bytes; the caller makes room for them.
     *
     * @param op {@link OpCode#GET_DATA}, {@link OpCode#EXISTS}, {@link OpCode#GET_CHILDREN} or
     *     {@link OpCode#GET_CHILDREN2}
     * @return the offset just past the frame
     * @throws IllegalArgumentException if {@code op}'s body is not a path and a watch flag
     * @throws IndexOutOfBoundsException if the frame does not fit (the buffer is then garbage)
     */
    public static int writePathRequest(byte[] buf, int off, int xid, OpCode op, String path, boolean watch) {
        if (!takesPathAndWatch(op)) {
            throw new IllegalArgumentException(op + " does not take a path and a watch flag");
        }
        int end = Encoding.putInt(buf, off + LENGTH_BYTES, xid);
        end = Encoding.putInt(buf, end, op.code());
        end = Encoding.putString(buf, end, path);
        end = Encoding.putBool(buf, end, watch);
        Encoding.putInt(buf, off, end - off - LENGTH_BYTES);
        return end;
    }

    /** The size of the frame {@link #writePathRequest} encodes for {@code path}, length prefix included. */
    public static int pathRequestFrameBytes(String path) {
        return LENGTH_BYTES + RequestHeader.SIZE + Encoding.sizeOf(path) + 1;
    }

    /** Whether {@code op}'s request body is a path and a watch flag ({@link #writePathRequest}). */
    public static boolean takesPathAndWatch(OpCode op) {
        return op == OpCode.GET_DATA || op == OpCode.EXISTS || op == OpCode.GET_CHILDREN || op == OpCode.GET_CHILDREN2;
    }

    /** The size of the frame {@link #request} would encode, length prefix included. */
    public static int requestFrameBytes(Request body) {
        return LENGTH_BYTES + RequestHeader.SIZE + (body == null ? 0 : body.encodedSize());
    }

    /** Encodes a handshake request frame: length, {@link ConnectRequest}. */
    public static byte[] connectRequest(ConnectRequest request) {
        return frame(request);
    }

    /** Encodes a handshake reply frame: length, {@link ConnectResponse}. */
    public static byte[] connectResponse(ConnectResponse response) {
        return frame(response);
    }

    /**
     * Encodes a reply frame: length, {@link ReplyHeader}, body (for servers, proxies and tests).
     *
     * @param body the reply body, or null for a reply without one
     */
    public static byte[] reply(ReplyHeader header, WireRecord body) {
        int length = ReplyHeader.SIZE + (body == null ? 0 : body.encodedSize());
        byte[] buf = new byte[LENGTH_BYTES + length];
        int off = Encoding.putInt(buf, 0, length);
        off = header.writeTo(buf, off);
        if (body != null) {
            off = body.writeTo(buf, off);
        }
        Encoding.checkWritten(body == null ? header : body, off, buf.length);
        return buf;
    }

    /** Encodes one record as a whole frame: length, record. */
    public static byte[] frame(WireRecord record) {
        int length = record.encodedSize();
        byte[] buf = new byte[LENGTH_BYTES + length];
        int off = Encoding.putInt(buf, 0, length);
        off = record.writeTo(buf, off);
        Encoding.checkWritten(record, off, buf.length);
        return buf;
    }

    /**
     * The largest reply frame body a client that sends frames of at most {@code maxFrameBytes}
     * reads: {@code maxFrameBytes + }{@link #REPLY_OVERHEAD_BYTES}, at most
     * {@link Integer#MAX_VALUE}.
     */
    public static int maxReplyFrameBytes(int maxFrameBytes) {
        return (int) Math.min(Integer.MAX_VALUE, (long) maxFrameBytes + REPLY_OVERHEAD_BYTES);
    }

    /**
     * Reads and checks a length prefix at {@code off}.
     *
     * @return the frame body's length, between 0 and {@code maxFrameBytes}
     * @throws ProtocolException if the length is negative or larger than {@code maxFrameBytes}
     */
    public static int readLength(byte[] buf, int off, int maxFrameBytes) throws ProtocolException {
        int length = Encoding.getInt(buf, off);
        if (length < 0) {
            throw new ProtocolException("frame length " + length + " is negative");
        }
        if (length > maxFrameBytes) {
            throw new ProtocolException(
                    "frame length " + length + " exceeds the maximum frame size of " + maxFrameBytes + " bytes");
        }
        return length;
    }

    /**
     * Reads the body of a request whose header said {@code op}.
     *
     * @return the body, or null for an op that has none
     * @throws ProtocolException on malformed bytes or an op code with no known body
     */
    public static Request readRequestBody(OpCode op, Decoder in) throws ProtocolException {
        return switch (op) {
            case CREATE, CREATE2, CREATE_CONTAINER -> CreateRequest.read(in);
            case CREATE_TTL -> CreateTTLRequest.read(in);
            case DELETE, DELETE_CONTAINER -> DeleteRequest.read(in);
            case EXISTS -> ExistsRequest.read(in);
            case GET_DATA -> GetDataRequest.read(in);
            case SET_DATA -> SetDataRequest.read(in);
            case GET_ACL -> GetACLRequest.read(in);
            case SET_ACL -> SetACLRequest.read(in);
            case GET_CHILDREN -> GetChildrenRequest.read(in);
            case GET_CHILDREN2 -> GetChildren2Request.read(in);
            case SYNC -> SyncRequest.read(in);
            case CHECK -> CheckVersionRequest.read(in);
            case MULTI, MULTI_READ -> MultiRequest.read(in);
            case RECONFIG -> ReconfigRequest.read(in);
            case CHECK_WATCHES -> CheckWatchesRequest.read(in);
            case REMOVE_WATCHES -> RemoveWatchesRequest.read(in);
            case AUTH -> AuthPacket.read(in);
            case SET_WATCHES -> SetWatches.read(in);
            case SET_WATCHES2 -> SetWatches2.read(in);
            case SASL -> GetSASLRequest.read(in);
            case GET_EPHEMERALS -> GetEphemeralsRequest.read(in);
            case GET_ALL_CHILDREN_NUMBER -> GetAllChildrenNumberRequest.read(in);
            case ADD_WATCH -> AddWatchRequest.read(in);
            case PING, CLOSE_SESSION, WHO_AM_I -> null;
            case NOTIFICATION, CREATE_SESSION, ERROR, UNKNOWN ->
                throw new ProtocolException("no request body is defined for op code " + op);
        };
    }

    /**
     * The reader of the reply body to a request of {@code op}, or null if that reply has no body.
     * A reply whose header carries an error never has a body, whatever the op.
     */
    public static ReplyReader<? extends WireRecord> replyReader(OpCode op) {
        return switch (op) {
            case NOTIFICATION -> WatcherEvent::read;
            case CREATE -> CreateResponse::read;
            case CREATE2, CREATE_CONTAINER, CREATE_TTL -> Create2Response::read;
            case EXISTS -> ExistsResponse::read;
            case GET_DATA, RECONFIG -> GetDataResponse::read;
            case SET_DATA -> SetDataResponse::read;
            case GET_ACL -> GetACLResponse::read;
            case SET_ACL -> SetACLResponse::read;
            case GET_CHILDREN -> GetChildrenResponse::read;
            case GET_CHILDREN2 -> GetChildren2Response::read;
            case SYNC -> SyncResponse::read;
            case MULTI, MULTI_READ -> MultiResponse::read;
            case SASL -> SetSASLResponse::read;
            case GET_EPHEMERALS -> GetEphemeralsResponse::read;
            case GET_ALL_CHILDREN_NUMBER -> GetAllChildrenNumberResponse::read;
            case ADD_WATCH -> ErrorResponse::read;
            case WHO_AM_I -> WhoAmIResponse::read;
            case DELETE,
                    DELETE_CONTAINER,
                    CHECK,
                    PING,
                    CHECK_WATCHES,
                    REMOVE_WATCHES,
                    AUTH,
                    SET_WATCHES,
                    SET_WATCHES2,
                    CREATE_SESSION,
                    CLOSE_SESSION,
                    ERROR,
                    UNKNOWN -> null;
        };
    }

    /**
     * Reads the body of a successful reply to a request of {@code op}.
     *
     * @return the body, or null for an op whose reply has none
     * @throws ProtocolException on malformed bytes
     */
    public static WireRecord readReplyBody(OpCode op, Decoder in) throws ProtocolException {
        ReplyReader<? extends WireRecord> reader = replyReader(op);
        return reader == null ? null : reader.read(in);
    }

    private static void checkPairing(OpCode op, Request body) {
        Class<? extends Request> expected = op.requestType();
        if (expected == null) {
            if (body != null
                    || op == OpCode.UNKNOWN
                    || op == OpCode.NOTIFICATION
                    || op == OpCode.ERROR
                    || op == OpCode.CREATE_SESSION) {
                throw new IllegalArgumentException(op + " cannot be sent with "
                        + (body == null ? "this method" : "a " + body.getClass().getSimpleName()));
            }
        } else if (body == null || body.getClass() != expected) {
            throw new IllegalArgumentException(op + " takes a " + expected.getSimpleName() + ", not "
                    + (body == null ? "no body" : "a " + body.getClass().getSimpleName()));
        }
    }
}
