package io.loomzk.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.jute.BinaryOutputArchive;
import org.junit.jupiter.api.Test;

/**
 * {@link Encoding}: every {@code sizeOf} equals what its {@code put} writes, and the bytes are
 * jute's, down to each of the 65,536 UTF-16 chars on its own. (Every record's
 * {@code encodedSize()} against what it writes, at an offset, is checked for every generated
 * instance in {@link JuteDifferentialTest}.)
 */
class EncodingTest {
    private static final long SEED = 0xE7C0D1L;

    /** Jute's bytes for one string. */
    private static byte[] juteString(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryOutputArchive.getArchive(out).writeString(s, "s");
        return out.toByteArray();
    }

    private static byte[] ours(String s) {
        byte[] buf = new byte[Encoding.sizeOf(s)];
        int end = Encoding.putString(buf, 0, s);
        assertThat(end).as("end of %s", s).isEqualTo(buf.length);
        return buf;
    }

    @Test
    void everyCharOnItsOwnEncodesAsJuteEncodesIt() throws IOException {
        for (int c = 0; c <= 0xFFFF; c++) {
            String s = String.valueOf((char) c);
            byte[] ours = ours(s);
            assertThat(ours).as("U+%04X", c).isEqualTo(juteString(s));
            assertThat(Encoding.stringBytes(s)).as("U+%04X", c).isEqualTo(ours.length - 4);
            int expected = c < 0x80 ? 1 : c < 0x800 ? 2 : 3; // surrogates too: 3 bytes each, as jute
            assertThat(ours.length - 4).as("U+%04X", c).isEqualTo(expected);
        }
    }

    @Test
    void stringsWithSurrogatesEncodeAsJuteEncodesThem() throws IOException {
        Random r = new Random(SEED);
        StringBuilder all = new StringBuilder();
        for (int c = 0; c <= 0xFFFF; c++) {
            all.append((char) c);
        }
        List<String> samples = new java.util.ArrayList<>(List.of(
                "", "\uD83D\uDE00", "a\uD800", "\uDC00b", "\uDBFF\uDFFF\uD800", all.toString(), "x".repeat(100_000)));
        for (int i = 0; i < 2000; i++) {
            samples.add(new Gen(r.nextLong(), Gen.Style.RANDOM, true, i).text(r.nextInt(64)));
        }
        for (String s : samples) {
            byte[] ours = ours(s);
            assertThat(ours)
                    .as("%s", HexFormat.of().formatHex(ours, 0, Math.min(ours.length, 64)))
                    .isEqualTo(juteString(s));
            assertThat(Encoding.getInt(ours, 0)).isEqualTo(Encoding.stringBytes(s));
        }
        assertThat(ours("\uD83D\uDE00")).hasSize(4 + 6); // CESU-8 style: a pair is six bytes
    }

    /**
     * ASCII strings take a fast path (a copy of each char's low byte); one char at 0x80 or above
     * anywhere must send the whole string down the general path, including chars whose low byte
     * alone would look like ASCII (U+0141 is 0x41 'A' there) and Latin-1 chars of a compact string.
     */
    @Test
    void oneWideCharAnywhereInAnAsciiStringIsEncodedAsJuteDoes() throws IOException {
        String ascii = "/loomzk/bench/getdata/node-0000000042/abcdefghijk";
        for (char wide : new char[] {'\u0080', '\u00E9', '\u00FF', '\u0141', '\u4E2D', '\uD83D'}) {
            for (int i = 0; i < ascii.length(); i++) {
                String s = ascii.substring(0, i) + wide + ascii.substring(i + 1);
                assertThat(ours(s)).as("U+%04X at %d", (int) wide, i).isEqualTo(juteString(s));
            }
        }
        assertThat(ours(ascii)).isEqualTo(juteString(ascii));
        byte[] atOffset = new byte[3 + Encoding.sizeOf(ascii)];
        assertThat(Encoding.putString(atOffset, 3, ascii)).isEqualTo(atOffset.length);
        assertThat(Arrays.copyOfRange(atOffset, 3, atOffset.length)).isEqualTo(juteString(ascii));
    }

    @Test
    void nullsAreLengthMinusOne() {
        byte[] buf = new byte[12];
        assertThat(Encoding.sizeOf((String) null)).isEqualTo(4);
        assertThat(Encoding.sizeOf((byte[]) null)).isEqualTo(4);
        assertThat(Encoding.sizeOfStrings(null)).isEqualTo(4);
        assertThat(Encoding.sizeOfRecords(null)).isEqualTo(4);
        int off = Encoding.putString(buf, 0, null);
        off = Encoding.putBuffer(buf, off, null);
        off = Encoding.putStrings(buf, off, null);
        assertThat(off).isEqualTo(12);
        assertThat(buf).containsOnly((byte) 0xFF);
        assertThat(Encoding.putRecords(new byte[4], 0, null)).isEqualTo(4);
    }

    @Test
    void buffersAndVectorsSizeExactlyWhatTheyWrite() throws IOException {
        Random r = new Random(SEED + 1);
        for (int i = 0; i < 500; i++) {
            Gen g = new Gen(r.nextLong(), Gen.styleOf(i % 10), true, i);
            byte[] data = g.buffer();
            List<String> strings = g.strings();
            List<ACL> acls = g.acls();
            int size = Encoding.sizeOf(data) + Encoding.sizeOfStrings(strings) + Encoding.sizeOfRecords(acls);
            byte[] buf = new byte[size + 3];
            int off = Encoding.putBuffer(buf, 3, data);
            assertThat(off).isEqualTo(3 + Encoding.sizeOf(data));
            off = Encoding.putStrings(buf, off, strings);
            assertThat(off).isEqualTo(3 + Encoding.sizeOf(data) + Encoding.sizeOfStrings(strings));
            off = Encoding.putRecords(buf, off, acls);
            assertThat(off).isEqualTo(buf.length);

            // Jute's own bytes for the same three fields, through records that hold them.
            byte[] jute = HostileInputTest.concat(
                    Jute.write(new org.apache.zookeeper.proto.GetSASLRequest(data)),
                    Jute.write(new org.apache.zookeeper.proto.GetChildrenResponse(strings)),
                    Arrays.copyOf(
                            Jute.write(new org.apache.zookeeper.proto.GetACLResponse(
                                    Jute.acls(acls), Jute.stat(new Stat(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))),
                            Encoding.sizeOfRecords(acls)));
            assertThat(Arrays.copyOfRange(buf, 3, buf.length)).isEqualTo(jute);
        }
    }

    @Test
    void intsLongsAndBoolsAreBigEndianAtAnyOffset() {
        Random r = new Random(SEED + 2);
        for (int i = 0; i < 1000; i++) {
            int v = r.nextInt();
            long l = r.nextLong();
            int at = r.nextInt(5);
            byte[] buf = new byte[at + 13];
            assertThat(Encoding.putInt(buf, at, v)).isEqualTo(at + 4);
            assertThat(Encoding.putLong(buf, at + 4, l)).isEqualTo(at + 12);
            assertThat(Encoding.putBool(buf, at + 12, (v & 1) == 1)).isEqualTo(at + 13);
            ByteBuffer bb = ByteBuffer.wrap(buf, at, 13); // big-endian by default
            assertThat(bb.getInt()).isEqualTo(v);
            assertThat(bb.getLong()).isEqualTo(l);
            assertThat(bb.get()).isEqualTo((byte) (v & 1));
            assertThat(Encoding.getInt(buf, at)).isEqualTo(v);
            assertThat(Encoding.getLong(buf, at + 4)).isEqualTo(l);
        }
    }

    @Test
    void writingPastTheEndOfTheArrayThrowsInsteadOfTruncating() {
        assertThatThrownBy(() -> Encoding.putInt(new byte[3], 0, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Encoding.putLong(new byte[10], 3, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Encoding.putBuffer(new byte[6], 0, new byte[3]))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Encoding.putString(new byte[6], 0, "abc"))
                .isInstanceOf(IndexOutOfBoundsException.class);
        Stat stat = new Stat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThatThrownBy(() -> new SetDataResponse(stat).writeTo(new byte[Stat.SIZE], 1))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void fixedSizesAreTheSizesJuteWrites() {
        Stat stat = new Stat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(Jute.write(Jute.stat(stat))).hasSize(Stat.SIZE);
        assertThat(Jute.write(new org.apache.zookeeper.proto.RequestHeader(1, 2)))
                .hasSize(RequestHeader.SIZE);
        assertThat(Jute.write(new org.apache.zookeeper.proto.ReplyHeader(1, 2, 3)))
                .hasSize(ReplyHeader.SIZE);
        assertThat(Jute.write(new org.apache.zookeeper.proto.MultiHeader(1, true, 3)))
                .hasSize(MultiHeader.SIZE);
        assertThat(Jute.write(new org.apache.zookeeper.proto.ErrorResponse(1))).hasSize(ErrorResponse.SIZE);
        assertThat(Jute.write(new org.apache.zookeeper.proto.GetAllChildrenNumberResponse(1)))
                .hasSize(GetAllChildrenNumberResponse.SIZE);
    }
}
