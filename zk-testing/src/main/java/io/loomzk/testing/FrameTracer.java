package io.loomzk.testing;

import io.loomzk.protocol.AddWatchRequest;
import io.loomzk.protocol.CheckVersionRequest;
import io.loomzk.protocol.CheckWatchesRequest;
import io.loomzk.protocol.ConnectRequest;
import io.loomzk.protocol.ConnectResponse;
import io.loomzk.protocol.CreateRequest;
import io.loomzk.protocol.CreateTTLRequest;
import io.loomzk.protocol.Decoder;
import io.loomzk.protocol.DeleteRequest;
import io.loomzk.protocol.ErrorCode;
import io.loomzk.protocol.EventType;
import io.loomzk.protocol.ExistsRequest;
import io.loomzk.protocol.Frames;
import io.loomzk.protocol.GetACLRequest;
import io.loomzk.protocol.GetAllChildrenNumberRequest;
import io.loomzk.protocol.GetChildren2Request;
import io.loomzk.protocol.GetChildrenRequest;
import io.loomzk.protocol.GetDataRequest;
import io.loomzk.protocol.GetEphemeralsRequest;
import io.loomzk.protocol.KeeperState;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.ProtocolException;
import io.loomzk.protocol.RemoveWatchesRequest;
import io.loomzk.protocol.ReplyHeader;
import io.loomzk.protocol.Request;
import io.loomzk.protocol.RequestHeader;
import io.loomzk.protocol.SetACLRequest;
import io.loomzk.protocol.SetDataRequest;
import io.loomzk.protocol.SyncRequest;
import io.loomzk.protocol.WatcherEvent;
import io.loomzk.protocol.WireRecord;
import io.loomzk.protocol.Xids;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the proxy knows about one connection's frames: it reads each frame's header (always: the
 * faults need xids and op codes) and, when tracing, decodes the body into one readable line.
 *
 * <p>Thread safety: one instance per connection; {@link #requestFrame} runs on the
 * client-to-server reader only, {@link #replyFrame} on the server-to-client reader only. The
 * xid-to-op map is the one thing they share, hence concurrent.
 */
final class FrameTracer {
    private static final int MAX_SUMMARY_CHARS = 400;

    /**
     * The op codes of the requests sent and not yet answered, by xid, oldest first: reserved
     * xids repeat (every set-watches packet of a reconnect is xid -8), and their replies come
     * in order.
     */
    private final Map<Integer, ArrayDeque<OpCode>> pending = new ConcurrentHashMap<>();

    private final Decoder requestDecoder;
    private final Decoder replyDecoder;
    private boolean connectSent;
    private boolean connectAnswered;

    FrameTracer(int maxFrameBytes) {
        this.requestDecoder = new Decoder(maxFrameBytes);
        this.replyDecoder = new Decoder(maxFrameBytes);
    }

    /** The op code of the oldest unanswered request with this xid, or null; forgets it. */
    private OpCode answered(int xid) {
        OpCode[] op = new OpCode[1];
        pending.computeIfPresent(xid, (k, ops) -> {
            op[0] = ops.poll();
            return ops.isEmpty() ? null : ops;
        });
        return op[0];
    }

    /** A client frame: its xid and op code (both null for the handshake), and its trace line. */
    record RequestFrame(Integer xid, OpCode op, String line) {}

    /** A server frame: its xid (null for the handshake) and its trace line. */
    record ReplyFrame(Integer xid, String line) {}

    /**
     * Reads a client frame (without the length prefix); records the op code of its xid.
     *
     * @param describe whether to decode the body and build the line (else the line is null)
     */
    RequestFrame requestFrame(byte[] frame, int off, int len, boolean describe) {
        try {
            Decoder in = requestDecoder.reset(frame, off, len);
            if (!connectSent) {
                connectSent = true;
                return new RequestFrame(null, null, describe ? "connect " + ConnectRequest.read(in) : null);
            }
            RequestHeader header = RequestHeader.read(in);
            OpCode op = OpCode.of(header.type());
            pending.compute(header.xid(), (xid, ops) -> {
                ArrayDeque<OpCode> queue = ops == null ? new ArrayDeque<>(1) : ops;
                queue.add(op);
                return queue;
            });
            if (!describe) {
                return new RequestFrame(header.xid(), op, null);
            }
            StringBuilder line =
                    new StringBuilder("xid=").append(header.xid()).append(' ').append(opName(op, header.type()));
            Request body = op.requestType() == null ? null : Frames.readRequestBody(op, in);
            String path = body == null ? null : path(body);
            if (path != null) {
                line.append(' ').append(path);
            }
            if (body != null) {
                line.append(' ').append(summary(body));
            }
            return new RequestFrame(header.xid(), op, line.toString());
        } catch (ProtocolException | RuntimeException e) {
            return new RequestFrame(null, null, describe ? undecodable(len, e) : null);
        }
    }

    /**
     * Reads a server frame (without the length prefix); forgets the xid it answers.
     *
     * @param describe whether to decode the body and build the line (else the line is null)
     */
    ReplyFrame replyFrame(byte[] frame, int off, int len, boolean describe) {
        try {
            Decoder in = replyDecoder.reset(frame, off, len);
            if (!connectAnswered) {
                connectAnswered = true;
                return new ReplyFrame(null, describe ? "connected " + ConnectResponse.read(in) : null);
            }
            ReplyHeader header = ReplyHeader.read(in);
            OpCode op = header.xid() == Xids.NOTIFICATION ? OpCode.NOTIFICATION : answered(header.xid());
            if (!describe) {
                return new ReplyFrame(header.xid(), null);
            }
            StringBuilder line = new StringBuilder("xid=")
                    .append(header.xid())
                    .append(" zxid=0x")
                    .append(Long.toHexString(header.zxid()))
                    .append(' ')
                    .append(header.err() == 0 ? "OK" : ErrorCode.describe(header.err()))
                    .append(' ')
                    .append(op == null ? "(unknown request)" : op.name());
            if (header.err() == 0 && op != null && in.remaining() > 0) {
                WireRecord body = op == OpCode.NOTIFICATION ? WatcherEvent.read(in) : Frames.readReplyBody(op, in);
                if (body instanceof WatcherEvent event) {
                    line.append(' ')
                            .append(EventType.of(event.type()))
                            .append(' ')
                            .append(event.path())
                            .append(' ')
                            .append(KeeperState.of(event.state()));
                }
                if (body != null) {
                    line.append(' ').append(summary(body));
                }
            }
            return new ReplyFrame(header.xid(), line.toString());
        } catch (ProtocolException | RuntimeException e) {
            return new ReplyFrame(null, describe ? undecodable(len, e) : null);
        }
    }

    private static String opName(OpCode op, int type) {
        return op == OpCode.UNKNOWN ? "UNKNOWN(" + type + ")" : op.name();
    }

    private static String undecodable(int len, Exception e) {
        return "undecodable " + len + "-byte frame (forwarded as is): " + e.getMessage();
    }

    private static String summary(Object record) {
        String s = String.valueOf(record);
        return s.length() <= MAX_SUMMARY_CHARS
                ? s
                : s.substring(0, MAX_SUMMARY_CHARS) + "... (" + s.length() + " chars)";
    }

    /** The path a request names, if its jute record has one. */
    static String path(Request body) {
        return switch (body) {
            case CreateRequest r -> r.path();
            case CreateTTLRequest r -> r.path();
            case DeleteRequest r -> r.path();
            case ExistsRequest r -> r.path();
            case GetDataRequest r -> r.path();
            case SetDataRequest r -> r.path();
            case GetACLRequest r -> r.path();
            case SetACLRequest r -> r.path();
            case GetChildrenRequest r -> r.path();
            case GetChildren2Request r -> r.path();
            case SyncRequest r -> r.path();
            case CheckVersionRequest r -> r.path();
            case AddWatchRequest r -> r.path();
            case RemoveWatchesRequest r -> r.path();
            case CheckWatchesRequest r -> r.path();
            case GetAllChildrenNumberRequest r -> r.path();
            case GetEphemeralsRequest r -> r.prefixPath();
            default -> null;
        };
    }
}
