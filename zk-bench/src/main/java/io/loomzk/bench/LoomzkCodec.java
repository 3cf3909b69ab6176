package io.loomzk.bench;

import io.loomzk.protocol.ACL;
import io.loomzk.protocol.CreateRequest;
import io.loomzk.protocol.Decoder;
import io.loomzk.protocol.Frames;
import io.loomzk.protocol.GetChildren2Response;
import io.loomzk.protocol.GetDataRequest;
import io.loomzk.protocol.GetDataResponse;
import io.loomzk.protocol.MultiRequest;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.ProtocolException;
import io.loomzk.protocol.ReplyReader;
import io.loomzk.protocol.SetDataRequest;
import io.loomzk.protocol.WatcherEvent;
import java.util.List;

/**
 * The LoomZK side of every codec benchmark: what {@code zk-client} does per call. A request is
 * built and encoded into one frame, length prefix included; a reply is decoded from the frame's
 * bytes by a reused {@link Decoder}, reading the header's three fields the way the connection's
 * reader does, then the body.
 */
public final class LoomzkCodec {
    private LoomzkCodec() {}

    public static byte[] encodeGetData(int xid, String path) {
        return Frames.request(xid, OpCode.GET_DATA, new GetDataRequest(path, false));
    }

    /**
     * Encodes a getData frame into {@code batch} at 0 as the client's writer does (straight from
     * the path, no request record); returns its end.
     */
    public static int encodeGetDataInto(byte[] batch, int xid, String path) {
        return Frames.writePathRequest(batch, 0, xid, OpCode.GET_DATA, path, false);
    }

    public static byte[] encodeCreate(int xid, String path, byte[] data, List<ACL> acl) {
        return Frames.request(xid, OpCode.CREATE, new CreateRequest(path, data, acl, 0));
    }

    public static byte[] encodeSetData(int xid, String path, byte[] data) {
        return Frames.request(xid, OpCode.SET_DATA, new SetDataRequest(path, data, -1));
    }

    public static byte[] encodeMulti(int xid, List<MultiRequest.Op> ops) {
        return Frames.request(xid, OpCode.MULTI, new MultiRequest(ops));
    }

    public static GetDataResponse decodeGetData(Decoder decoder, byte[] frame) throws ProtocolException {
        return decodeReply(decoder, frame, Fixtures.XID, GetDataResponse::read);
    }

    public static GetChildren2Response decodeGetChildren2(Decoder decoder, byte[] frame) throws ProtocolException {
        return decodeReply(decoder, frame, Fixtures.XID, GetChildren2Response::read);
    }

    public static WatcherEvent decodeWatcherEvent(Decoder decoder, byte[] frame) throws ProtocolException {
        return decodeReply(decoder, frame, -1, WatcherEvent::read);
    }

    /** The connection reader's steps: point the decoder at the frame, header fields, checks, body. */
    private static <T> T decodeReply(Decoder decoder, byte[] frame, int expectedXid, ReplyReader<T> body)
            throws ProtocolException {
        int length = Frames.readLength(frame, 0, decoder.maxFrameBytes());
        Decoder in = decoder.reset(frame, Frames.LENGTH_BYTES, length);
        int xid = in.readInt("ReplyHeader.xid");
        long zxid = in.readLong("ReplyHeader.zxid");
        int err = in.readInt("ReplyHeader.err");
        if (xid != expectedXid || err != 0 || zxid < 0) {
            throw new ProtocolException("unexpected reply header: xid " + xid + ", err " + err);
        }
        return body.read(in);
    }
}
