package io.loomzk.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The records themselves: content equality for byte arrays, {@code toString} that prints lengths
 * and never secrets, the handshake without {@code readOnly}, and the checks in constructors.
 */
class RecordsTest {
    private static final Stat STAT = new Stat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    private static final List<ACL> ACLS = List.of(new ACL(Perms.ALL, new Id("world", "anyone")));

    /** Every record with a byte[] component, built around the array given. */
    static Stream<Arguments> recordsWithBytes() {
        return Stream.of(
                named("ConnectRequest", b -> new ConnectRequest(0, 1, 30000, 2, b, false)),
                named("ConnectResponse", b -> new ConnectResponse(0, 30000, 2, b, true)),
                named("AuthPacket", b -> new AuthPacket(0, "digest", b)),
                named("CreateRequest", b -> new CreateRequest("/a", b, ACLS, 0)),
                named("CreateTTLRequest", b -> new CreateTTLRequest("/a", b, ACLS, 5, 1000)),
                named("SetDataRequest", b -> new SetDataRequest("/a", b, -1)),
                named("GetDataResponse", b -> new GetDataResponse(b, STAT)),
                named("GetSASLRequest", GetSASLRequest::new),
                named("SetSASLRequest", SetSASLRequest::new),
                named("SetSASLResponse", SetSASLResponse::new),
                named(
                        "MultiRequest",
                        b -> new MultiRequest(
                                List.of(new MultiRequest.Op(OpCode.SET_DATA, new SetDataRequest("/a", b, 1))))),
                named(
                        "MultiResponse",
                        b -> new MultiResponse(
                                List.of(new MultiResponse.Result(OpCode.GET_DATA, 0, new GetDataResponse(b, STAT))))));
    }

    /** Records whose byte[] is a secret: it never prints, not even in hex or base64. */
    static Stream<Arguments> recordsWithSecrets() {
        return recordsWithBytes()
                .filter(a -> Set.of(
                                "ConnectRequest",
                                "ConnectResponse",
                                "AuthPacket",
                                "GetSASLRequest",
                                "SetSASLRequest",
                                "SetSASLResponse")
                        .contains(a.get()[0].toString()));
    }

    private static Arguments named(String name, Function<byte[], WireRecord> make) {
        return Arguments.of(name, make);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordsWithBytes")
    void recordsWithBytesCompareAndHashByContent(String name, Function<byte[], WireRecord> make) {
        byte[] a = {1, 2, 3, (byte) 0xFF};
        WireRecord r1 = make.apply(a);
        WireRecord r2 = make.apply(a.clone());
        assertThat(r1).isEqualTo(r2).hasSameHashCodeAs(r2);
        assertThat(make.apply(new byte[] {1, 2, 3, 0})).isNotEqualTo(r1);
        assertThat(make.apply(new byte[] {1, 2, 3})).isNotEqualTo(r1);
        assertThat(make.apply(new byte[0])).isNotEqualTo(make.apply(null));
        assertThat(make.apply(null)).isEqualTo(make.apply(null)).hasSameHashCodeAs(make.apply(null));
        assertThat(make.apply(new byte[0])).isEqualTo(make.apply(new byte[0]));
        assertThat(r1).isNotEqualTo(null).isNotEqualTo("x");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordsWithBytes")
    void bytesPrintAsTheirLengthOnly(String name, Function<byte[], WireRecord> make) {
        byte[] data = "payload-1234567".getBytes(StandardCharsets.UTF_8);
        String s = make.apply(data).toString();
        assertThat(s).contains("15 bytes").doesNotContain("[B@").doesNotContain("payload");
        assertThat(s).doesNotContain(Arrays.toString(data)).doesNotContain("112, 97");
        assertThat(make.apply(null).toString()).contains("null");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recordsWithSecrets")
    void secretsNeverPrint(String name, Function<byte[], WireRecord> make) {
        byte[] secret = "hunter2-Sup3rSecret".getBytes(StandardCharsets.UTF_8);
        String s = make.apply(secret).toString();
        assertThat(s)
                .contains("hidden")
                .doesNotContain("hunter2")
                .doesNotContain(HexFormat.of().formatHex(secret).substring(0, 8))
                .doesNotContain(HexFormat.of().withUpperCase().formatHex(secret).substring(0, 8))
                .doesNotContain(Base64.getEncoder().encodeToString(secret).substring(0, 8))
                .doesNotContain(Arrays.toString(secret).substring(0, 10))
                .doesNotContain("[B@");
    }

    @Test
    void aSessionPasswordNeverPrintsInTheHandshake() {
        byte[] passwd = new byte[16];
        Arrays.fill(passwd, (byte) 0x41); // "AAAA..."
        ConnectRequest req = new ConnectRequest(0, 0x1234, 30000, 0xABCDEFL, passwd, false);
        ConnectResponse rsp = new ConnectResponse(0, 30000, 0xABCDEFL, passwd, false);
        assertThat(req.toString())
                .isEqualTo("ConnectRequest[protocolVersion=0, lastZxidSeen=0x1234, timeOut=30000, sessionId=0xabcdef,"
                        + " passwd=<16 bytes, hidden>, readOnly=false]");
        assertThat(rsp.toString())
                .isEqualTo("ConnectResponse[protocolVersion=0, timeOut=30000, sessionId=0xabcdef,"
                        + " passwd=<16 bytes, hidden>, readOnly=false]");
        assertThat(new AuthPacket(0, "digest", "user:pw".getBytes(StandardCharsets.UTF_8)).toString())
                .isEqualTo("AuthPacket[type=0, scheme=digest, auth=<7 bytes, hidden>]");
    }

    /** No record, however generated, prints an array's identity instead of its length. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.loomzk.protocol.JuteDifferentialTest#cases")
    void noRecordPrintsAnArrayIdentity(RecordCase<?, ?> c) {
        for (int i = 0; i < 100; i++) {
            Object r = c.instance(0x70570L, i, true);
            assertThat(r.toString()).as("%s #%d", c.name(), i).doesNotContain("[B@");
        }
    }

    // ---- the handshake from servers before read-only mode

    @Test
    void handshakeFromAnOldServerWithoutReadOnlyDecodesAsFalse() throws ProtocolException {
        byte[] passwd = {9, 8, 7};
        ConnectResponse full = new ConnectResponse(0, 4000, 0x77L, passwd, true);
        byte[] bytes = full.toBytes();
        byte[] old = Arrays.copyOf(bytes, bytes.length - 1);
        Decoder in = Decoder.of(old);
        assertThat(ConnectResponse.read(in)).isEqualTo(new ConnectResponse(0, 4000, 0x77L, passwd, false));
        assertThat(in.remaining()).isZero();
        // The same through a whole frame, as a connection reads it.
        byte[] frame = Frames.frame(new ConnectResponse(0, 4000, 0x77L, passwd, false));
        byte[] oldFrame = Arrays.copyOf(frame, frame.length - 1);
        Encoding.putInt(oldFrame, 0, oldFrame.length - 4);
        int length = Frames.readLength(oldFrame, 0, Frames.DEFAULT_MAX_FRAME_BYTES);
        assertThat(ConnectResponse.read(new Decoder().reset(oldFrame, 4, length))
                        .readOnly())
                .isFalse();

        ConnectRequest request = new ConnectRequest(0, 5, 4000, 0, new byte[16], true);
        byte[] r = request.toBytes();
        assertThat(ConnectRequest.read(Decoder.of(Arrays.copyOf(r, r.length - 1))))
                .isEqualTo(new ConnectRequest(0, 5, 4000, 0, new byte[16], false));
    }

    @Test
    void readOnlyIsAnyNonZeroByteAsInJute() throws ProtocolException {
        byte[] bytes = new ConnectResponse(0, 4000, 1, new byte[0], false).toBytes();
        bytes[bytes.length - 1] = 2;
        assertThat(ConnectResponse.read(Decoder.of(bytes)).readOnly()).isTrue();
        bytes[bytes.length - 1] = 0;
        assertThat(ConnectResponse.read(Decoder.of(bytes)).readOnly()).isFalse();
    }

    // ---- constructor checks

    @Test
    void nestedRecordsMustBePresent() {
        List<Executable> missing = List.of(
                () -> new ACL(1, null),
                () -> new Create2Response("/a", null),
                () -> new ExistsResponse(null),
                () -> new GetACLResponse(ACLS, null),
                () -> new GetChildren2Response(List.of(), null),
                () -> new GetDataResponse(new byte[0], null),
                () -> new SetACLResponse(null),
                () -> new SetDataResponse(null),
                () -> new MultiRequest(null),
                () -> new MultiResponse(null),
                () -> new MultiRequest.Op(null, new DeleteRequest("/a", 1)),
                () -> new MultiRequest.Op(OpCode.DELETE, null),
                () -> new MultiResponse.Result(null, 0, null));
        for (Executable e : missing) {
            assertThatThrownBy(e::execute).isInstanceOf(NullPointerException.class);
        }
        // Strings, buffers and vectors may be null: jute writes them as -1.
        assertThatCode(() -> new GetDataResponse(null, STAT)).doesNotThrowAnyException();
        assertThatCode(() -> new ACL(1, new Id(null, null))).doesNotThrowAnyException();
    }

    private static final Set<OpCode> MULTI_OPS = EnumSet.of(
            OpCode.CREATE,
            OpCode.CREATE2,
            OpCode.CREATE_CONTAINER,
            OpCode.CREATE_TTL,
            OpCode.DELETE,
            OpCode.SET_DATA,
            OpCode.CHECK,
            OpCode.GET_DATA,
            OpCode.GET_CHILDREN);

    @Test
    void aMultiOpTakesExactlyTheOpsApacheSendsInAMultiWithTheirBodies() {
        List<Request> bodies = new ArrayList<>();
        for (Class<?> k : Request.class.getPermittedSubclasses()) {
            @SuppressWarnings("unchecked")
            RecordCase<? extends WireRecord, ?> c = RecordCases.of((Class<? extends WireRecord>) k);
            bodies.add((Request) c.instance(11, 7, false));
        }
        int accepted = 0;
        for (OpCode op : OpCode.values()) {
            for (Request body : bodies) {
                boolean fits = MULTI_OPS.contains(op) && body.getClass() == FramesTest.expectedRequest(op);
                if (fits) {
                    assertThat(new MultiRequest.Op(op, body).body()).isSameAs(body);
                    accepted++;
                } else {
                    assertThatThrownBy(() -> new MultiRequest.Op(op, body))
                            .as("%s with a %s", op, body.getClass().getSimpleName())
                            .isInstanceOf(IllegalArgumentException.class);
                }
            }
        }
        assertThat(accepted).isEqualTo(MULTI_OPS.size());
    }

    /** The body each result type of a multi reply carries, as Apache's MultiResponse writes it. */
    private static Class<? extends WireRecord> multiResultBody(OpCode type) {
        return switch (type) {
            case CREATE -> CreateResponse.class;
            case CREATE2 -> Create2Response.class;
            case SET_DATA -> SetDataResponse.class;
            case GET_DATA -> GetDataResponse.class;
            case GET_CHILDREN -> GetChildrenResponse.class;
            case ERROR -> ErrorResponse.class;
            default -> null;
        };
    }

    @Test
    void aMultiResultTakesExactlyTheTypesApacheWritesWithTheirBodies() {
        Set<OpCode> resultTypes = EnumSet.of(
                OpCode.CREATE,
                OpCode.CREATE2,
                OpCode.DELETE,
                OpCode.CHECK,
                OpCode.SET_DATA,
                OpCode.GET_DATA,
                OpCode.GET_CHILDREN,
                OpCode.ERROR);
        List<WireRecord> bodies = new ArrayList<>();
        bodies.add(null);
        for (RecordCase<?, ?> c : RecordCases.replies()) {
            bodies.add(c.instance(12, 7, false));
        }
        for (OpCode type : OpCode.values()) {
            for (WireRecord body : bodies) {
                Class<?> expected = multiResultBody(type);
                boolean fits = resultTypes.contains(type)
                        && (expected == null ? body == null : body != null && body.getClass() == expected);
                String what = type + " with "
                        + (body == null ? "no body" : "a " + body.getClass().getSimpleName());
                if (fits) {
                    assertThat(new MultiResponse.Result(type, 0, body).body())
                            .as(what)
                            .isSameAs(body);
                } else {
                    assertThatThrownBy(() -> new MultiResponse.Result(type, 0, body))
                            .as(what)
                            .isInstanceOf(IllegalArgumentException.class);
                }
            }
        }
    }

    @Test
    void resultErrorIsTheTypedViewOfTheRawCode() {
        assertThat(new MultiResponse.Result(OpCode.ERROR, -101, new ErrorResponse(-101)).error())
                .isEqualTo(ErrorCode.NO_NODE);
        assertThat(new MultiResponse.Result(OpCode.DELETE, 0, null).error()).isEqualTo(ErrorCode.OK);
        assertThat(new MultiResponse.Result(OpCode.ERROR, -4242, new ErrorResponse(-4242)).error())
                .isEqualTo(ErrorCode.UNKNOWN);
    }
}
