package io.loomzk.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.MultiOperationRecord;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.proto.CreateRequest;
import org.apache.zookeeper.proto.GetChildren2Response;
import org.apache.zookeeper.proto.GetDataRequest;
import org.apache.zookeeper.proto.GetDataResponse;
import org.apache.zookeeper.proto.ReplyHeader;
import org.apache.zookeeper.proto.RequestHeader;
import org.apache.zookeeper.proto.SetDataRequest;
import org.apache.zookeeper.proto.WatcherEvent;
import org.apache.zookeeper.server.ByteBufferInputStream;

/**
 * The jute side of every codec benchmark: the same work done the way Apache's official client
 * (3.9, {@code ClientCnxn}) does it.
 *
 * <p>Encoding is {@code ClientCnxn.Packet.createBB}: a {@link BinaryOutputArchive} over a
 * {@link ByteArrayOutputStream}, a 4-byte length placeholder, the {@link RequestHeader}, the
 * request record, then {@code toByteArray()} and the length back-patched into a wrapping
 * {@link ByteBuffer}. Decoding is {@code ClientCnxn.SendThread.readResponse}: a
 * {@link BinaryInputArchive} over a {@link ByteBufferInputStream} over the frame's body, the
 * {@link ReplyHeader}, then the response record. The official client also allocates a fresh
 * buffer per incoming frame and copies the socket's bytes into it; that is left out here, so the
 * jute side is, if anything, flattered.
 */
public final class JuteCodec {
    private JuteCodec() {}

    public static ByteBuffer encodeGetData(int xid, String path) throws IOException {
        return createBB(new RequestHeader(xid, ZooDefs.OpCode.getData), new GetDataRequest(path, false));
    }

    public static ByteBuffer encodeCreate(int xid, String path, byte[] data, List<ACL> acl) throws IOException {
        return createBB(new RequestHeader(xid, ZooDefs.OpCode.create), new CreateRequest(path, data, acl, 0));
    }

    public static ByteBuffer encodeSetData(int xid, String path, byte[] data) throws IOException {
        return createBB(new RequestHeader(xid, ZooDefs.OpCode.setData), new SetDataRequest(path, data, -1));
    }

    public static ByteBuffer encodeMulti(int xid, List<Op> ops) throws IOException {
        return createBB(new RequestHeader(xid, ZooDefs.OpCode.multi), new MultiOperationRecord(ops));
    }

    /** {@code ClientCnxn.Packet.createBB}, step for step. */
    private static ByteBuffer createBB(RequestHeader header, Record request) throws IOException {
        ByteArrayOutputStream baos = new ByteArrayOutputStream();
        BinaryOutputArchive boa = BinaryOutputArchive.getArchive(baos);
        boa.writeInt(-1, "len"); // filled in below
        header.serialize(boa, "header");
        request.serialize(boa, "request");
        baos.close();
        ByteBuffer bb = ByteBuffer.wrap(baos.toByteArray());
        bb.putInt(bb.capacity() - 4);
        bb.rewind();
        return bb;
    }

    public static GetDataResponse decodeGetData(byte[] frame) throws IOException {
        return readResponse(frame, Fixtures.XID, new GetDataResponse());
    }

    public static GetChildren2Response decodeGetChildren2(byte[] frame) throws IOException {
        return readResponse(frame, Fixtures.XID, new GetChildren2Response());
    }

    public static WatcherEvent decodeWatcherEvent(byte[] frame) throws IOException {
        return readResponse(frame, -1, new WatcherEvent());
    }

    /** {@code ClientCnxn.SendThread.readResponse}, step for step, over the frame's body. */
    private static <T extends Record> T readResponse(byte[] frame, int expectedXid, T response) throws IOException {
        int length = ByteBuffer.wrap(frame).getInt();
        ByteBuffer incomingBuffer = ByteBuffer.wrap(frame, 4, length);
        ByteBufferInputStream bbis = new ByteBufferInputStream(incomingBuffer);
        BinaryInputArchive bbia = BinaryInputArchive.getArchive(bbis);
        ReplyHeader replyHdr = new ReplyHeader();
        replyHdr.deserialize(bbia, "header");
        if (replyHdr.getXid() != expectedXid || replyHdr.getErr() != 0 || replyHdr.getZxid() < 0) {
            throw new IOException("unexpected reply header: " + replyHdr);
        }
        response.deserialize(bbia, "response");
        return response;
    }
}
