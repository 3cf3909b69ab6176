package io.loomzk.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.jute.BinaryInputArchive;
import org.junit.jupiter.api.Test;

/** {@link Decoder}: limits, offsets in messages, reuse, and jute's reading of bools and malformed UTF-8. */
class DecoderTest {
    private static final long SEED = 0xDEC0DE5L;

    private static byte[] bytes(int... unsignedBytes) {
        byte[] b = new byte[unsignedBytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) unsignedBytes[i];
        }
        return b;
    }

    private static byte[] ints(int... values) {
        byte[] b = new byte[values.length * 4];
        for (int i = 0; i < values.length; i++) {
            Encoding.putInt(b, i * 4, values[i]);
        }
        return b;
    }

    @Test
    void maximumFrameSizeIsCheckedOnReset() throws ProtocolException {
        assertThatThrownBy(() -> new Decoder(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        Decoder zero = new Decoder(0);
        assertThat(zero.reset(new byte[5], 5, 0).remaining()).isZero();
        assertThatThrownBy(() -> zero.reset(new byte[5], 0, 1))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("frame of 1 bytes exceeds the maximum frame size of 0 bytes");
        assertThat(Decoder.of(new byte[Frames.DEFAULT_MAX_FRAME_BYTES]).remaining())
                .isEqualTo(Frames.DEFAULT_MAX_FRAME_BYTES);
        assertThatThrownBy(() -> Decoder.of(new byte[Frames.DEFAULT_MAX_FRAME_BYTES + 1]))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("frame of 1048576 bytes exceeds the maximum frame size of 1048575 bytes");
        assertThat(new Decoder(123).maxFrameBytes()).isEqualTo(123);
    }

    @Test
    void aRangeOutsideTheArrayIsAProgrammingError() {
        Decoder in = new Decoder();
        assertThatThrownBy(() -> in.reset(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> in.reset(new byte[4], -1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> in.reset(new byte[4], 0, -1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void positionsAndMessageOffsetsCountFromTheStartOfTheFrameNotTheArray() throws ProtocolException {
        byte[] stat = new byte[10];
        for (int at : new int[] {0, 3, 100}) {
            byte[] buf = new byte[at + stat.length + 50];
            System.arraycopy(stat, 0, buf, at, stat.length);
            Decoder in = new Decoder().reset(buf, at, stat.length);
            assertThat(in.position()).isZero();
            assertThat(in.remaining()).isEqualTo(10);
            in.readInt("x");
            assertThat(in.position()).isEqualTo(4);
            assertThat(in.remaining()).isEqualTo(6);
            Decoder again = new Decoder().reset(buf, at, stat.length);
            assertThatThrownBy(() -> Stat.read(again))
                    .isInstanceOf(ProtocolException.class)
                    .hasMessage("Stat.mzxid: needs 8 bytes at offset 8 but the 10-byte frame has only 2 left");
        }
    }

    @Test
    void messagesNameTheFieldTheValueAndTheOffset() {
        // A string inside a nested record, after a count and an int.
        byte[] acl = HostileInputTest.concat(ints(1, 31, 5), "world".getBytes(), ints(-2));
        assertThatThrownBy(() -> GetACLResponse.read(Decoder.of(acl)))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("Id.id: negative length -2 at offset 17");
        assertThatThrownBy(() -> GetDataResponse.read(Decoder.of(ints(-2))))
                .hasMessage("GetDataResponse.data: negative length -2 at offset 0");
        assertThatThrownBy(() -> GetChildrenResponse.read(Decoder.of(ints(-7, 0))))
                .hasMessage("GetChildrenResponse.children: negative element count -7 at offset 0");
        assertThatThrownBy(() -> Create2Response.read(Decoder.of(HostileInputTest.concat(ints(100), new byte[68]))))
                .hasMessage(
                        "Create2Response.path: length 100 at offset 0 runs past the end of the 72-byte frame (68 bytes left)");
        assertThatThrownBy(() -> new Decoder(50)
                        .reset(HostileInputTest.concat(ints(60), new byte[40]), 0, 44)
                        .readString("SyncResponse.path"))
                .hasMessage("SyncResponse.path: length 60 at offset 0 exceeds the maximum frame size of 50 bytes");
        assertThatThrownBy(() -> GetChildrenResponse.read(Decoder.of(ints(3, 0, 0))))
                .hasMessage("GetChildrenResponse.children: 3 elements at offset 0 cannot fit in the 8 bytes left"
                        + " in the frame (each takes at least 4)");
        assertThatThrownBy(() -> WhoAmIResponse.read(Decoder.of(ints(2, 0, 0, 0))))
                .hasMessage("WhoAmIResponse.clientInfo: 2 elements at offset 0 cannot fit in the 12 bytes left"
                        + " in the frame (each takes at least 8)");
        assertThatThrownBy(() -> ConnectResponse.read(Decoder.of(new byte[15])))
                .hasMessage(
                        "ConnectResponse.sessionId: needs 8 bytes at offset 8 but the 15-byte frame has only 7 left");
    }

    @Test
    void countsUpToWhatTheRemainingBytesCanHoldAreAccepted() throws ProtocolException {
        // Two ACLs of the smallest shape (perms, null scheme, null id) take exactly 24 bytes.
        byte[] two = ints(2, 1, -1, -1, 2, -1, -1);
        assertThat(SetACLRequest.read(Decoder.of(HostileInputTest.concat(ints(-1), two, ints(9))))
                        .acl())
                .containsExactly(new ACL(1, new Id(null, null)), new ACL(2, new Id(null, null)));
        byte[] three = ints(3, 1, -1, -1, 2, -1, -1);
        assertThatThrownBy(() -> GetACLResponse.read(Decoder.of(three)))
                .hasMessage("GetACLResponse.acl: 3 elements at offset 0 cannot fit in the 24 bytes left in the frame"
                        + " (each takes at least 12)");
    }

    @Test
    void aDecoderIsReusedFrameAfterFrameAndAfterAnError() throws ProtocolException {
        Decoder in = new Decoder();
        byte[] bad = ints(-5);
        assertThatThrownBy(() -> CreateResponse.read(in.reset(bad, 0, 4))).isInstanceOf(ProtocolException.class);
        byte[] good = new CreateResponse("/next").toBytes();
        byte[] buf = HostileInputTest.concat(new byte[7], good);
        assertThat(CreateResponse.read(in.reset(buf, 7, good.length))).isEqualTo(new CreateResponse("/next"));
        assertThat(in.position()).isEqualTo(good.length);
        assertThat(CreateResponse.read(in.reset(good, 0, good.length))).isEqualTo(new CreateResponse("/next"));
    }

    @Test
    void bigEndianIntsAndLongs() throws ProtocolException {
        Decoder in = Decoder.of(bytes(0x80, 0, 0, 1, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08));
        assertThat(in.readInt("i")).isEqualTo(0x80000001);
        assertThat(in.readLong("l")).isEqualTo(0x0102030405060708L);
        assertThat(in.remaining()).isZero();
    }

    @Test
    void everyBoolByteReadsAsJuteReadsIt() throws IOException {
        for (int b = 0; b < 256; b++) {
            byte[] one = {(byte) b};
            boolean jute =
                    BinaryInputArchive.getArchive(new ByteArrayInputStream(one)).readBool("b");
            assertThat(Decoder.of(one).readBool("b")).as("byte 0x%02x", b).isEqualTo(jute);
        }
    }

    /**
     * Strings decode exactly as jute decodes them, malformed UTF-8 included: CESU-8 surrogates,
     * cut sequences, overlong forms, stray continuation bytes, random bytes.
     */
    @Test
    void malformedUtf8DecodesAsJuteDecodesIt() throws IOException {
        Random r = new Random(SEED);
        int[][] nasty = {
            {0xED, 0xA0, 0x80},
            {0xED, 0xBF, 0xBF},
            {0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80},
            {0xC0, 0x80},
            {0xC1, 0xBF},
            {0xE0, 0x80, 0x80},
            {0xF0, 0x80, 0x80, 0x80},
            {0xF4, 0x90, 0x80, 0x80},
            {0xF0, 0x9F, 0x98, 0x80},
            {0x80},
            {0xBF},
            {0xC3},
            {0xE6, 0x97},
            {0xF0, 0x9F, 0x98},
            {0xFE},
            {0xFF},
            {0}
        };
        for (int i = 0; i < 3000; i++) {
            byte[] s;
            if (i < nasty.length) {
                s = bytes(nasty[i]);
            } else {
                s = new byte[r.nextInt(24)];
                r.nextBytes(s);
                if (r.nextBoolean() && s.length > 3) { // splice in a nasty sequence
                    int[] n = nasty[r.nextInt(nasty.length)];
                    for (int k = 0; k < n.length && k < s.length; k++) {
                        s[k] = (byte) n[k];
                    }
                }
            }
            byte[] frame = HostileInputTest.concat(ints(s.length), s);
            String jute = BinaryInputArchive.getArchive(new ByteArrayInputStream(frame))
                    .readString("s");
            assertThat(Decoder.of(frame).readString("s"))
                    .as("bytes %s", java.util.HexFormat.of().formatHex(s))
                    .isEqualTo(jute);
        }
    }

    @Test
    void buffersAreCopiedOutOfTheFrame() throws ProtocolException {
        byte[] frame = new GetDataResponse(
                        new byte[] {1, 2, 3}, RecordCases.of(Stat.class).instance(SEED, 9, false))
                .toBytes();
        GetDataResponse read = GetDataResponse.read(Decoder.of(frame));
        Arrays.fill(frame, (byte) 0); // the connection reuses its frame buffer for the next frame
        assertThat(read.data()).containsExactly(1, 2, 3);
    }

    @Test
    void stringVectorsKeepNullElementsAndAreUnmodifiable() throws ProtocolException {
        List<String> sent = Arrays.asList("/a", null, "", "ü");
        List<String> read = GetChildrenResponse.read(Decoder.of(new GetChildrenResponse(sent).toBytes()))
                .children();
        assertThat(read).isEqualTo(sent);
        assertThatThrownBy(() -> read.add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> read.set(0, "x")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(GetChildrenResponse.read(Decoder.of(ints(-1))).children()).isNull();
        List<String> empty = GetChildrenResponse.read(Decoder.of(ints(0))).children();
        assertThat(empty).isEmpty();
        assertThatThrownBy(() -> empty.add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void recordVectorsAreUnmodifiable() throws ProtocolException {
        List<ACL> sent = List.of(new ACL(Perms.ALL, new Id("world", "anyone")));
        List<ACL> read = SetACLRequest.read(Decoder.of(new SetACLRequest("/a", sent, 3).toBytes()))
                .acl();
        assertThat(read).isEqualTo(sent);
        assertThatThrownBy(() -> read.remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(SetACLRequest.read(Decoder.of(new SetACLRequest("/a", null, 3).toBytes()))
                        .acl())
                .isNull();
    }

    @Test
    void aReaderLeavesBytesAfterItsRecordForTheCaller() throws ProtocolException {
        Decoder in = Decoder.of(HostileInputTest.concat(new ErrorResponse(-101).toBytes(), ints(7)));
        assertThat(ErrorResponse.read(in)).isEqualTo(new ErrorResponse(-101));
        assertThat(in.position()).isEqualTo(4);
        assertThat(in.remaining()).isEqualTo(4);
    }
}
