package io.loomzk.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.protocol.Decoder;
import io.loomzk.protocol.GetChildren2Response;
import io.loomzk.protocol.GetDataResponse;
import io.loomzk.protocol.Stat;
import io.loomzk.protocol.WatcherEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.proto.ReplyHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each benchmark pair does the same work: the encoders produce identical frames, the decoders
 * equal records. The benchmarks call exactly the methods tested here.
 */
class CodecTwinsTest {
    private static final int XID = 77;

    @Test
    void getDataRequestFramesAreIdentical() throws IOException {
        byte[] ours = LoomzkCodec.encodeGetData(XID, Fixtures.PATH);
        assertThat(ours).isEqualTo(bytes(JuteCodec.encodeGetData(XID, Fixtures.PATH)));
        byte[] batch = new byte[4096];
        int end = LoomzkCodec.encodeGetDataInto(batch, XID, Fixtures.PATH);
        assertThat(java.util.Arrays.copyOf(batch, end)).isEqualTo(ours);
        assertThat(ours).hasSize(4 + 8 + 4 + 48 + 1);
    }

    @Test
    void createRequestFramesAreIdentical() throws IOException {
        byte[] ours = LoomzkCodec.encodeCreate(XID, Fixtures.PATH, Fixtures.DATA_100, Fixtures.loomzkAcl());
        assertThat(ours)
                .isEqualTo(bytes(JuteCodec.encodeCreate(XID, Fixtures.PATH, Fixtures.DATA_100, Fixtures.juteAcl())));
    }

    @Test
    void setDataRequestFramesAreIdentical() throws IOException {
        byte[] ours = LoomzkCodec.encodeSetData(XID, Fixtures.PATH, Fixtures.DATA_100);
        assertThat(ours).isEqualTo(bytes(JuteCodec.encodeSetData(XID, Fixtures.PATH, Fixtures.DATA_100)));
    }

    @Test
    void multiRequestFramesAreIdentical() throws IOException {
        assertThat(Fixtures.loomzkMultiOps()).hasSize(10);
        byte[] ours = LoomzkCodec.encodeMulti(XID, Fixtures.loomzkMultiOps());
        assertThat(ours).isEqualTo(bytes(JuteCodec.encodeMulti(XID, Fixtures.juteMultiOps())));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 100, 65536})
    void getDataRepliesDecodeToEqualRecords(int size) throws IOException {
        byte[] frame = Fixtures.getDataReplyFrame(size);
        assertThat(frame)
                .isEqualTo(juteFrame(
                        Fixtures.XID,
                        new org.apache.zookeeper.proto.GetDataResponse(Fixtures.bytes(size), juteStat(Fixtures.STAT))));

        GetDataResponse ours = LoomzkCodec.decodeGetData(new Decoder(), frame);
        org.apache.zookeeper.proto.GetDataResponse theirs = JuteCodec.decodeGetData(frame);
        assertThat(ours.data()).hasSize(size).isEqualTo(theirs.getData());
        assertThat(juteStat(ours.stat())).isEqualTo(theirs.getStat());
    }

    @ParameterizedTest
    @ValueSource(ints = {10, 1000})
    void getChildren2RepliesDecodeToEqualRecords(int count) throws IOException {
        byte[] frame = Fixtures.getChildren2ReplyFrame(count);
        assertThat(frame)
                .isEqualTo(juteFrame(
                        Fixtures.XID,
                        new org.apache.zookeeper.proto.GetChildren2Response(
                                Fixtures.children(count), juteStat(Fixtures.STAT))));

        GetChildren2Response ours = LoomzkCodec.decodeGetChildren2(new Decoder(), frame);
        org.apache.zookeeper.proto.GetChildren2Response theirs = JuteCodec.decodeGetChildren2(frame);
        assertThat(ours.children()).hasSize(count).containsExactlyElementsOf(theirs.getChildren());
        assertThat(juteStat(ours.stat())).isEqualTo(theirs.getStat());
    }

    @Test
    void watcherEventsDecodeToEqualRecords() throws IOException {
        byte[] frame = Fixtures.watcherEventFrame();
        assertThat(frame).isEqualTo(juteFrame(-1, new org.apache.zookeeper.proto.WatcherEvent(3, 3, Fixtures.PATH)));

        WatcherEvent ours = LoomzkCodec.decodeWatcherEvent(new Decoder(), frame);
        org.apache.zookeeper.proto.WatcherEvent theirs = JuteCodec.decodeWatcherEvent(frame);
        assertThat(new org.apache.zookeeper.proto.WatcherEvent(ours.type(), ours.state(), ours.path()))
                .isEqualTo(theirs);
    }

    @Test
    void decodersReadTheWholeFrame() throws IOException {
        byte[] frame = Fixtures.getDataReplyFrame(100);
        Decoder decoder = new Decoder();
        LoomzkCodec.decodeGetData(decoder, frame);
        assertThat(decoder.remaining()).isZero();
    }

    private static byte[] bytes(ByteBuffer bb) {
        assertThat(bb.position()).isZero();
        return Arrays.copyOfRange(bb.array(), bb.arrayOffset(), bb.arrayOffset() + bb.limit());
    }

    /** A reply frame as Apache's server writes one: length, ReplyHeader, record. */
    private static byte[] juteFrame(int xid, Record body) throws IOException {
        ByteArrayOutputStream baos = new ByteArrayOutputStream();
        BinaryOutputArchive boa = BinaryOutputArchive.getArchive(baos);
        boa.writeInt(-1, "len");
        new ReplyHeader(xid, Fixtures.ZXID, 0).serialize(boa, "header");
        body.serialize(boa, "response");
        byte[] frame = baos.toByteArray();
        ByteBuffer.wrap(frame).putInt(frame.length - 4);
        return frame;
    }

    private static org.apache.zookeeper.data.Stat juteStat(Stat s) {
        return new org.apache.zookeeper.data.Stat(
                s.czxid(),
                s.mzxid(),
                s.ctime(),
                s.mtime(),
                s.version(),
                s.cversion(),
                s.aversion(),
                s.ephemeralOwner(),
                s.dataLength(),
                s.numChildren(),
                s.pzxid());
    }
}
