package io.loomzk.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.jute.BinaryOutputArchive;
import org.apache.jute.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Frames}: exact frame sizes and bytes (against Apache's own framing), the op/body pairing,
 * {@code readLength} limits, and which body every op code's request and reply carry.
 *
 * <p>The expected pairings are written out here from Apache ZooKeeper 3.9's client
 * ({@code ZooKeeper.java}: the request record and the response record each call passes), not
 * derived from {@link OpCode#requestType()}, so a wrong entry in the main code fails.
 */
class FramesTest {
    private static final long SEED = 0xF4A3E5L;

    /** The request body Apache's client sends with each op code; null for a header-only request. */
    static Class<? extends Request> expectedRequest(OpCode op) {
        return switch (op) {
            case CREATE, CREATE2, CREATE_CONTAINER -> CreateRequest.class;
            case CREATE_TTL -> CreateTTLRequest.class;
            case DELETE, DELETE_CONTAINER -> DeleteRequest.class;
            case EXISTS -> ExistsRequest.class;
            case GET_DATA -> GetDataRequest.class;
            case SET_DATA -> SetDataRequest.class;
            case GET_ACL -> GetACLRequest.class;
            case SET_ACL -> SetACLRequest.class;
            case GET_CHILDREN -> GetChildrenRequest.class;
            case GET_CHILDREN2 -> GetChildren2Request.class;
            case SYNC -> SyncRequest.class;
            case CHECK -> CheckVersionRequest.class;
            case MULTI, MULTI_READ -> MultiRequest.class;
            case RECONFIG -> ReconfigRequest.class;
            case CHECK_WATCHES -> CheckWatchesRequest.class;
            case REMOVE_WATCHES -> RemoveWatchesRequest.class;
            case AUTH -> AuthPacket.class;
            case SET_WATCHES -> SetWatches.class;
            case SET_WATCHES2 -> SetWatches2.class;
            case SASL -> GetSASLRequest.class;
            case GET_EPHEMERALS -> GetEphemeralsRequest.class;
            case GET_ALL_CHILDREN_NUMBER -> GetAllChildrenNumberRequest.class;
            case ADD_WATCH -> AddWatchRequest.class;
            case PING, CLOSE_SESSION, WHO_AM_I -> null;
            case NOTIFICATION, CREATE_SESSION, ERROR, UNKNOWN -> null;
        };
    }

    /** Op codes a client sends as a header alone. */
    static boolean headerOnly(OpCode op) {
        return op == OpCode.PING || op == OpCode.CLOSE_SESSION || op == OpCode.WHO_AM_I;
    }

    /**
     * Op codes that never go out in a request frame: a notification and an error are reply
     * types, createSession is the header-less handshake ({@link ConnectRequest}), unknown is unknown.
     */
    static boolean neverSent(OpCode op) {
        return op == OpCode.NOTIFICATION || op == OpCode.CREATE_SESSION || op == OpCode.ERROR || op == OpCode.UNKNOWN;
    }

    /**
     * The reply body Apache's client reads for each op code; null when the reply is a header
     * alone. (Apache reads exists into a {@code SetDataResponse}, the same bytes as an
     * {@link ExistsResponse}: one {@link Stat}.)
     */
    static Class<? extends WireRecord> expectedReply(OpCode op) {
        return switch (op) {
            case NOTIFICATION -> WatcherEvent.class;
            case CREATE -> CreateResponse.class;
            case CREATE2, CREATE_CONTAINER, CREATE_TTL -> Create2Response.class;
            case EXISTS -> ExistsResponse.class;
            case GET_DATA, RECONFIG -> GetDataResponse.class;
            case SET_DATA -> SetDataResponse.class;
            case GET_ACL -> GetACLResponse.class;
            case SET_ACL -> SetACLResponse.class;
            case GET_CHILDREN -> GetChildrenResponse.class;
            case GET_CHILDREN2 -> GetChildren2Response.class;
            case SYNC -> SyncResponse.class;
            case MULTI, MULTI_READ -> MultiResponse.class;
            case SASL -> SetSASLResponse.class;
            case GET_EPHEMERALS -> GetEphemeralsResponse.class;
            case GET_ALL_CHILDREN_NUMBER -> GetAllChildrenNumberResponse.class;
            case ADD_WATCH -> ErrorResponse.class;
            case WHO_AM_I -> WhoAmIResponse.class;
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

    /** One random instance of every request body type, seeded by the op code. */
    private static List<Request> sampleBodies(long seed) {
        List<Request> bodies = new ArrayList<>();
        for (Class<?> k : Request.class.getPermittedSubclasses()) {
            @SuppressWarnings("unchecked")
            RecordCase<? extends WireRecord, ?> c = RecordCases.of((Class<? extends WireRecord>) k);
            bodies.add((Request) c.instance(seed, 6 + (int) (seed & 7), false));
        }
        return bodies;
    }

    /** A frame as Apache's {@code ClientCnxn.Packet.createBB} builds it: length, header, record. */
    static byte[] apacheFrame(Record header, Record body) throws IOException {
        ByteArrayOutputStream baos = new ByteArrayOutputStream();
        BinaryOutputArchive boa = BinaryOutputArchive.getArchive(baos);
        boa.writeInt(-1, "len");
        if (header != null) {
            header.serialize(boa, "header");
        }
        if (body != null) {
            body.serialize(boa, "request");
        }
        ByteBuffer bb = ByteBuffer.wrap(baos.toByteArray());
        bb.putInt(bb.capacity() - 4);
        return bb.array();
    }

    @SuppressWarnings("unchecked")
    private static Record toJute(WireRecord record) {
        RecordCase<WireRecord, Record> c = (RecordCase<WireRecord, Record>) RecordCases.of(record.getClass());
        return c.toJute().apply(record);
    }

    @ParameterizedTest
    @EnumSource(OpCode.class)
    void requestFramesPairEachOpWithExactlyTheBodyApacheSends(OpCode op) throws IOException {
        int xid = 0x01020304;
        for (Request body : sampleBodies(SEED + op.ordinal())) {
            boolean fits = body.getClass() == expectedRequest(op) && !neverSent(op);
            if (!fits) {
                assertThatThrownBy(() -> Frames.request(xid, op, body))
                        .as("%s with a %s", op, body.getClass().getSimpleName())
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining(op.toString());
                continue;
            }
            byte[] frame = Frames.request(xid, op, body);
            assertThat(frame).hasSize(4 + 8 + body.encodedSize());
            assertThat(Frames.requestFrameBytes(body)).isEqualTo(frame.length);
            assertThat(Encoding.getInt(frame, 0)).isEqualTo(frame.length - 4);
            assertThat(Encoding.getInt(frame, 4)).isEqualTo(xid);
            assertThat(Encoding.getInt(frame, 8)).isEqualTo(op.code());
            assertThat(Arrays.copyOfRange(frame, 12, frame.length)).isEqualTo(body.toBytes());
            assertThat(frame)
                    .as("%s frame against Apache's", op)
                    .isEqualTo(apacheFrame(new org.apache.zookeeper.proto.RequestHeader(xid, op.code()), toJute(body)));
        }
        if (headerOnly(op)) {
            byte[] frame = Frames.request(-2, op, null);
            assertThat(frame)
                    .hasSize(12)
                    .isEqualTo(apacheFrame(new org.apache.zookeeper.proto.RequestHeader(-2, op.code()), null));
            assertThat(Frames.requestFrameBytes(null)).isEqualTo(12);
        } else {
            assertThatThrownBy(() -> Frames.request(1, op, null))
                    .as("%s without a body", op)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ParameterizedTest
    @EnumSource(OpCode.class)
    void requestTypeOfEveryOpCodeIsTheBodyApacheSends(OpCode op) {
        assertThat(op.requestType()).isEqualTo(neverSent(op) ? null : expectedRequest(op));
    }

    @ParameterizedTest
    @EnumSource(OpCode.class)
    void readRequestBodyDecodesTheBodyOfEveryOpCode(OpCode op) throws ProtocolException {
        Class<? extends Request> expected = expectedRequest(op);
        if (neverSent(op)) {
            assertThatThrownBy(() -> Frames.readRequestBody(op, Decoder.of(new byte[16])))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining(op.toString());
            return;
        }
        if (expected == null) {
            Decoder in = Decoder.of(new byte[] {1, 2, 3});
            assertThat(Frames.readRequestBody(op, in)).isNull();
            assertThat(in.position()).isZero();
            return;
        }
        Random r = new Random(SEED ^ op.ordinal());
        for (int i = 0; i < 50; i++) {
            WireRecord body = instanceOf(expected, r.nextLong(), i);
            Decoder in = Decoder.of(body.toBytes());
            Request read = Frames.readRequestBody(op, in);
            assertThat(read).isInstanceOf(expected).isEqualTo(body);
            assertThat(in.remaining()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(OpCode.class)
    void replyReaderOfEveryOpCodeReadsTheReplyApacheReads(OpCode op) throws ProtocolException {
        Class<? extends WireRecord> expected = expectedReply(op);
        ReplyReader<? extends WireRecord> reader = Frames.replyReader(op);
        if (expected == null) {
            assertThat(reader).as("%s has no reply body", op).isNull();
            Decoder in = Decoder.of(new byte[] {9, 9, 9, 9});
            assertThat(Frames.readReplyBody(op, in)).isNull();
            assertThat(in.position()).isZero();
            return;
        }
        assertThat(reader).as("%s has a reply body", op).isNotNull();
        Random r = new Random(SEED ^ (op.ordinal() * 31L));
        for (int i = 0; i < 50; i++) {
            WireRecord body = instanceOf(expected, r.nextLong(), i);
            byte[] bytes = body.toBytes();
            Decoder in = Decoder.of(bytes);
            assertThat((Object) reader.read(in)).isInstanceOf(expected).isEqualTo(body);
            assertThat(in.remaining()).isZero();
            Decoder again = Decoder.of(bytes);
            assertThat((Object) Frames.readReplyBody(op, again)).isEqualTo(body);
            assertThat(again.remaining()).isZero();
        }
    }

    private static WireRecord instanceOf(Class<? extends WireRecord> type, long seed, int index) {
        return RecordCases.of(type).instance(seed, index, false);
    }

    /** What a connection's reader does with each frame: length, bounded frame, header, body by op code. */
    @ParameterizedTest
    @EnumSource(OpCode.class)
    void replyFramesDecodeAsAConnectionReadsThem(OpCode op) throws IOException {
        Class<? extends WireRecord> type = expectedReply(op);
        Random r = new Random(SEED + 77 * op.ordinal());
        for (int i = 0; i < 30; i++) {
            WireRecord body = type == null ? null : instanceOf(type, r.nextLong(), i);
            ReplyHeader header = new ReplyHeader(r.nextInt(), r.nextLong(), 0);
            byte[] frame = Frames.reply(header, body);
            assertThat(frame).hasSize(4 + 16 + (body == null ? 0 : body.encodedSize()));
            assertThat(frame)
                    .as("%s reply frame against Apache's", op)
                    .isEqualTo(apacheFrame(toJute(header), body == null ? null : toJute(body)));

            // A stream of two frames, read back one at a time.
            byte[] stream = new byte[frame.length * 2 + 3];
            System.arraycopy(frame, 0, stream, 3, frame.length);
            System.arraycopy(frame, 0, stream, 3 + frame.length, frame.length);
            Decoder in = new Decoder();
            int at = 3;
            for (int k = 0; k < 2; k++) {
                int length = Frames.readLength(stream, at, in.maxFrameBytes());
                in.reset(stream, at + Frames.LENGTH_BYTES, length);
                assertThat(ReplyHeader.read(in)).isEqualTo(header);
                assertThat((Object) Frames.readReplyBody(op, in)).isEqualTo(body);
                assertThat(in.remaining()).isZero();
                at += Frames.LENGTH_BYTES + length;
            }
            assertThat(at).isEqualTo(stream.length);
        }
    }

    /**
     * The bodies clients send most are sized as if their path were ASCII and re-sized when it is
     * not: every kind of string, and a wide char anywhere in it, still gives Apache's frame.
     */
    private static final String ASCII_PATH = "/" + "p".repeat(47);

    /** Every kind of string, and a wide char at either end of a long path. */
    private static final List<String> PATHS = Arrays.asList(
            null,
            "",
            "/",
            ASCII_PATH,
            "/é",
            "/\u00FF",
            "/\u0100",
            "/日本語",
            "/\uD83D\uDE00",
            "ü" + ASCII_PATH,
            ASCII_PATH + "ü",
            ASCII_PATH + "\u4E2D",
            "/a\u0000b");

    @Test
    void commonRequestFramesAreExactWhateverTheirPathHolds() throws IOException {
        byte[] data = {1, 2, 3};
        for (String path : PATHS) {
            List<Map.Entry<OpCode, Request>> bodies = List.of(
                    Map.entry(OpCode.GET_DATA, new GetDataRequest(path, true)),
                    Map.entry(OpCode.EXISTS, new ExistsRequest(path, false)),
                    Map.entry(OpCode.GET_CHILDREN, new GetChildrenRequest(path, true)),
                    Map.entry(OpCode.GET_CHILDREN2, new GetChildren2Request(path, false)),
                    Map.entry(OpCode.SET_DATA, new SetDataRequest(path, data, 7)),
                    Map.entry(OpCode.SET_DATA, new SetDataRequest(path, null, -1)),
                    Map.entry(OpCode.DELETE, new DeleteRequest(path, 3)),
                    Map.entry(
                            OpCode.CREATE2,
                            new CreateRequest(path, data, List.of(new ACL(31, new Id("world", "anyone"))), 2)),
                    Map.entry(
                            OpCode.CREATE,
                            new CreateRequest(path, null, List.of(new ACL(31, new Id("digest", "ü:x"))), 0)));
            for (Map.Entry<OpCode, Request> e : bodies) {
                byte[] frame = Frames.request(42, e.getKey(), e.getValue());
                assertThat(frame)
                        .as("%s of %s", e.getKey(), path)
                        .isEqualTo(apacheFrame(
                                new org.apache.zookeeper.proto.RequestHeader(
                                        42, e.getKey().code()),
                                toJute(e.getValue())));
                byte[] batch = new byte[Frames.requestFrameBytes(e.getValue())];
                assertThat(Frames.writeRequest(batch, 0, 42, e.getKey(), e.getValue()))
                        .isEqualTo(frame.length);
                assertThat(batch).isEqualTo(frame);
            }
        }
    }

    /** A path request written without its record is Apache's frame of that record, at any offset. */
    @Test
    void pathRequestsWrittenWithoutARecordAreApachesFrames() throws IOException {
        for (String path : PATHS) {
            for (boolean watch : new boolean[] {false, true}) {
                List<Map.Entry<OpCode, Request>> bodies = List.of(
                        Map.entry(OpCode.GET_DATA, new GetDataRequest(path, watch)),
                        Map.entry(OpCode.EXISTS, new ExistsRequest(path, watch)),
                        Map.entry(OpCode.GET_CHILDREN, new GetChildrenRequest(path, watch)),
                        Map.entry(OpCode.GET_CHILDREN2, new GetChildren2Request(path, watch)));
                for (Map.Entry<OpCode, Request> e : bodies) {
                    byte[] apache = apacheFrame(
                            new org.apache.zookeeper.proto.RequestHeader(
                                    9, e.getKey().code()),
                            toJute(e.getValue()));
                    assertThat(Frames.takesPathAndWatch(e.getKey())).isTrue();
                    assertThat(Frames.pathRequestFrameBytes(path)).isEqualTo(apache.length);
                    byte[] batch = new byte[apache.length + 5];
                    assertThat(Frames.writePathRequest(batch, 3, 9, e.getKey(), path, watch))
                            .as("%s of %s", e.getKey(), path)
                            .isEqualTo(3 + apache.length);
                    assertThat(Arrays.copyOfRange(batch, 3, 3 + apache.length))
                            .as("%s of %s", e.getKey(), path)
                            .isEqualTo(apache);
                }
            }
        }
        for (OpCode op : OpCode.values()) {
            if (!Frames.takesPathAndWatch(op)) {
                org.assertj.core.api.Assertions.assertThatThrownBy(
                                () -> Frames.writePathRequest(new byte[64], 0, 1, op, "/a", false))
                        .as(op.toString())
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Frames.writePathRequest(
                        new byte[Frames.pathRequestFrameBytes("/abc") - 1], 0, 1, OpCode.GET_DATA, "/abc", false))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void writeRequestEncodesTheSameFrameIntoAGivenBufferAtAnOffset() {
        GetDataRequest body = new GetDataRequest("/some/path/ü", true);
        byte[] alone = Frames.request(77, OpCode.GET_DATA, body);
        byte[] batch = new byte[alone.length + 20];
        int end = Frames.writeRequest(batch, 7, 77, OpCode.GET_DATA, body);
        assertThat(end).isEqualTo(7 + alone.length).isEqualTo(7 + Frames.requestFrameBytes(body));
        assertThat(java.util.Arrays.copyOfRange(batch, 7, end)).isEqualTo(alone);
        assertThat(batch[0]).isZero();
        assertThat(batch[end]).isZero();

        byte[] pingAlone = Frames.request(Xids.PING, OpCode.PING, null);
        byte[] pingBatch = new byte[pingAlone.length];
        assertThat(Frames.writeRequest(pingBatch, 0, Xids.PING, OpCode.PING, null))
                .isEqualTo(pingAlone.length);
        assertThat(pingBatch).isEqualTo(pingAlone);

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Frames.writeRequest(new byte[alone.length - 1], 0, 77, OpCode.GET_DATA, body))
                .isInstanceOf(IndexOutOfBoundsException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> Frames.writeRequest(batch, 0, 77, OpCode.SET_DATA, body))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void handshakeFramesAreTheRecordAfterItsLength() throws IOException {
        RecordCase<ConnectRequest, ?> req = RecordCases.of(ConnectRequest.class);
        RecordCase<ConnectResponse, ?> rsp = RecordCases.of(ConnectResponse.class);
        for (int i = 0; i < 200; i++) {
            ConnectRequest cr = req.instance(SEED, i, false);
            byte[] frame = Frames.connectRequest(cr);
            assertThat(frame).isEqualTo(apacheFrame(null, toJute(cr)));
            assertThat(frame).hasSize(4 + cr.encodedSize());
            assertThat(ConnectRequest.read(Decoder.of(Arrays.copyOfRange(frame, 4, frame.length))))
                    .isEqualTo(cr);

            ConnectResponse cs = rsp.instance(SEED, i, false);
            byte[] reply = Frames.connectResponse(cs);
            assertThat(reply).isEqualTo(apacheFrame(null, toJute(cs)));
            assertThat(Frames.frame(cs)).isEqualTo(reply);
            assertThat(Frames.readLength(reply, 0, Frames.DEFAULT_MAX_FRAME_BYTES))
                    .isEqualTo(reply.length - 4);
        }
    }

    @Test
    void defaultMaximumIsJuteMaxbufferDefault() {
        assertThat(Frames.DEFAULT_MAX_FRAME_BYTES).isEqualTo(1024 * 1024 - 1);
        assertThat(Frames.LENGTH_BYTES).isEqualTo(4);
        assertThat(new Decoder().maxFrameBytes()).isEqualTo(Frames.DEFAULT_MAX_FRAME_BYTES);
    }

    @Test
    void theReplyLimitLeavesRoomForTheLargestDataARequestCanCarry() throws ProtocolException {
        assertThat(Frames.REPLY_OVERHEAD_BYTES)
                .isEqualTo(ReplyHeader.SIZE + 4 + Stat.SIZE)
                .isEqualTo(88);
        assertThat(Frames.maxReplyFrameBytes(4096)).isEqualTo(4096 + 88);
        assertThat(Frames.maxReplyFrameBytes(Integer.MAX_VALUE - 10)).isEqualTo(Integer.MAX_VALUE);
        // the most data a setData of the shortest path carries, and the getData reply that returns it
        int limit = Frames.DEFAULT_MAX_FRAME_BYTES;
        int data = limit - (Frames.requestFrameBytes(new SetDataRequest("/a", new byte[0], -1)) - Frames.LENGTH_BYTES);
        byte[] reply = Frames.reply(
                new ReplyHeader(1, 1, 0),
                new GetDataResponse(new byte[data], new Stat(1, 1, 0, 0, 0, 0, 0, 0, data, 0, 1)));
        int length = reply.length - Frames.LENGTH_BYTES;
        assertThat(length).isGreaterThan(limit);
        assertThat(Frames.readLength(reply, 0, Frames.maxReplyFrameBytes(limit)))
                .isEqualTo(length);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 16, 1000, Frames.DEFAULT_MAX_FRAME_BYTES})
    void readLengthAcceptsLengthsUpToTheMaximum(int length) throws ProtocolException {
        byte[] buf = new byte[10];
        Encoding.putInt(buf, 3, length);
        assertThat(Frames.readLength(buf, 3, Frames.DEFAULT_MAX_FRAME_BYTES)).isEqualTo(length);
        assertThat(Frames.readLength(buf, 3, length)).isEqualTo(length);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, -2, Integer.MIN_VALUE, 0x80000001})
    void readLengthRejectsNegativeLengths(int length) {
        byte[] buf = new byte[4];
        Encoding.putInt(buf, 0, length);
        assertThatThrownBy(() -> Frames.readLength(buf, 0, Integer.MAX_VALUE))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("frame length " + length + " is negative");
    }

    @ParameterizedTest
    @ValueSource(ints = {Frames.DEFAULT_MAX_FRAME_BYTES + 1, 0x01000000, Integer.MAX_VALUE})
    void readLengthRejectsLengthsOverTheMaximum(int length) {
        byte[] buf = new byte[4];
        Encoding.putInt(buf, 0, length);
        assertThatThrownBy(() -> Frames.readLength(buf, 0, Frames.DEFAULT_MAX_FRAME_BYTES))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("frame length " + length + " exceeds the maximum frame size of "
                        + Frames.DEFAULT_MAX_FRAME_BYTES + " bytes");
        assertThatThrownBy(() -> Frames.readLength(buf, 0, 0))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("exceeds the maximum frame size of 0 bytes");
    }

    @Test
    void aBodyThatChangesWhileBeingWrittenFailsLoudlyInsteadOfSendingACorruptFrame() {
        // The list reports a long first child while the frame is sized, then a shorter one.
        List<String> shifty = new AbstractList<>() {
            private int gets;

            @Override
            public String get(int index) {
                return gets++ == 0 ? "/a-long-child-name" : "/b";
            }

            @Override
            public int size() {
                return 1;
            }
        };
        SetWatches body = new SetWatches(1, shifty, List.of(), List.of());
        assertThatThrownBy(() -> Frames.request(-8, OpCode.SET_WATCHES, body))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SetWatches wrote")
                .hasMessageContaining("it changed while being written");
    }

    @Test
    void reservedXidsHaveApacheValues() {
        assertThat(Xids.NOTIFICATION).isEqualTo(-1);
        assertThat(Xids.PING).isEqualTo(-2);
        assertThat(Xids.AUTH).isEqualTo(-4);
        assertThat(Xids.SET_WATCHES).isEqualTo(-8);
        assertThat(Xids.isReserved(-1)).isTrue();
        assertThat(Xids.isReserved(Integer.MIN_VALUE)).isTrue();
        assertThat(Xids.isReserved(0)).isFalse();
        assertThat(Xids.isReserved(1)).isFalse();
        assertThat(Xids.isReserved(Integer.MAX_VALUE)).isFalse();
    }
}
