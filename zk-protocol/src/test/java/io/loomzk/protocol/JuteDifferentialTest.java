package io.loomzk.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.jute.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LoomZK against Apache's own jute classes, for every record of the package: random instances
 * per record and property, from a fixed seed ({@code -Dloomzk.test.seed=...} replays another
 * series, {@code -Dloomzk.test.instances=...} changes the count).
 *
 * <ol>
 *   <li>LoomZK writes the bytes jute writes for the equivalent Apache object, byte for byte,
 *       strings with surrogates included;
 *   <li>jute decodes LoomZK's bytes into an object that converts back to the original;
 *   <li>LoomZK decodes jute's bytes into the original.
 * </ol>
 *
 * Jute encodes each UTF-16 char on its own (a surrogate pair becomes six bytes) and decodes with
 * UTF-8 replacement, so strings with surrogates round-trip in neither implementation: the two
 * round-trip properties use surrogate-free strings, the byte-equality property both kinds.
 */
class JuteDifferentialTest {
    static final long BASE_SEED = Long.getLong("loomzk.test.seed", 0x2026_0F2C_5EEDL);
    static final int INSTANCES = Integer.getInteger("loomzk.test.instances", 1000);

    private static final HexFormat HEX = HexFormat.of();

    static Stream<RecordCase<?, ?>> cases() {
        return RecordCases.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void loomzkWritesTheBytesJuteWrites(RecordCase<?, ?> c) {
        bytesEqual(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void juteDecodesLoomzkBytesToTheOriginal(RecordCase<?, ?> c) {
        juteReadsOurs(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void loomzkDecodesJuteBytesToTheOriginal(RecordCase<?, ?> c) {
        weReadJutes(c);
    }

    private static <L extends WireRecord, A extends Record> void bytesEqual(RecordCase<L, A> c) {
        long series = c.seriesSeed(BASE_SEED) ^ 0x5A5A;
        int withSurrogates = 0;
        for (int i = 0; i < INSTANCES; i++) {
            L record = c.instance(series, i, true);
            byte[] ours = record.toBytes();
            byte[] theirs = c.juteBytes(record);
            if (!Arrays.equals(ours, theirs)) {
                fail(
                        "%s: LoomZK and jute bytes differ%n  ours:   %s%n  theirs: %s",
                        where(c, i, record), HEX.formatHex(ours), HEX.formatHex(theirs));
            }
            assertThat(record.encodedSize()).as(where(c, i, record)).isEqualTo(ours.length);
            checkWriteAtOffset(c, i, record, ours);
            if (hasSurrogate(theirs)) {
                withSurrogates++;
            }
        }
        // The surrogate part of this property must have been exercised, for every record with text.
        if (INSTANCES >= 100 && c.lengthFields().stream().anyMatch(RecordCasesText::isText)) {
            assertThat(withSurrogates)
                    .as("%s: instances whose strings held surrogates", c.name())
                    .isGreaterThan(INSTANCES / 10);
        }
    }

    /** writeTo at a non-zero offset writes the same bytes there, returns the end, and touches nothing else. */
    private static <L extends WireRecord> void checkWriteAtOffset(
            RecordCase<L, ?> c, int i, L record, byte[] expected) {
        int off = 7;
        byte[] buf = new byte[off + expected.length + 5];
        Arrays.fill(buf, (byte) 0xA5);
        int end = record.writeTo(buf, off);
        assertThat(end).as(where(c, i, record)).isEqualTo(off + expected.length);
        assertThat(Arrays.copyOfRange(buf, off, end)).as(where(c, i, record)).isEqualTo(expected);
        for (int k = 0; k < buf.length; k++) {
            if (k < off || k >= end) {
                assertThat(buf[k])
                        .as("%s: byte %d outside the record", where(c, i, record), k)
                        .isEqualTo((byte) 0xA5);
            }
        }
    }

    private static <L extends WireRecord, A extends Record> void juteReadsOurs(RecordCase<L, A> c) {
        long series = c.seriesSeed(BASE_SEED);
        for (int i = 0; i < INSTANCES; i++) {
            L record = c.instance(series, i, false);
            byte[] ours = record.toBytes();
            L back;
            try {
                back = c.decodeWithJute(ours);
            } catch (RuntimeException e) {
                throw new AssertionError(where(c, i, record) + ": jute could not decode " + HEX.formatHex(ours), e);
            }
            assertThat(back).as(where(c, i, record)).isEqualTo(record);
            assertThat(back.hashCode()).as(where(c, i, record)).isEqualTo(record.hashCode());
        }
    }

    private static <L extends WireRecord, A extends Record> void weReadJutes(RecordCase<L, A> c) {
        long series = c.seriesSeed(BASE_SEED);
        for (int i = 0; i < INSTANCES; i++) {
            L record = c.instance(series, i, false);
            byte[] theirs = c.juteBytes(record);
            // Decode from the middle of a larger buffer, as a connection's reader does.
            int off = 3 + (i % 5);
            byte[] buf = new byte[off + theirs.length + 4];
            Arrays.fill(buf, (byte) 0x7F);
            System.arraycopy(theirs, 0, buf, off, theirs.length);
            L back;
            Decoder in;
            try {
                in = new Decoder().reset(buf, off, theirs.length);
                back = c.reader().read(in);
            } catch (ProtocolException e) {
                throw new AssertionError(where(c, i, record) + ": LoomZK could not decode " + HEX.formatHex(theirs), e);
            }
            assertThat(in.remaining())
                    .as("%s: bytes left unread", where(c, i, record))
                    .isZero();
            assertThat(in.position()).as(where(c, i, record)).isEqualTo(theirs.length);
            assertThat(back).as(where(c, i, record)).isEqualTo(record);
            assertThat(back.hashCode()).as(where(c, i, record)).isEqualTo(record.hashCode());
        }
    }

    static String where(RecordCase<?, ?> c, int index, Object record) {
        return c.name() + " instance #" + index + " (base seed 0x" + Long.toHexString(BASE_SEED)
                + ", replay with -Dloomzk.test.seed=" + BASE_SEED + ") " + record;
    }

    /** Whether jute's encoding holds a surrogate char (ED A0..BF xx: a 3-byte form of D800..DFFF). */
    private static boolean hasSurrogate(byte[] b) {
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == (byte) 0xED && (b[i + 1] & 0xE0) == 0xA0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The table covers every record of the package: each {@code WireRecord} record class found
     * next to {@link WireRecord} on the class path has a case, and every permitted
     * {@link Request} has one. A new record without a differential case fails here.
     */
    @Test
    void everyRecordOfThePackageHasADifferentialCase() throws IOException, URISyntaxException {
        Path dir = Path.of(WireRecord.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toURI())
                .resolve("io/loomzk/protocol");
        Set<String> records = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String file = p.getFileName().toString();
                if (!file.endsWith(".class") || file.contains("$") || file.equals("package-info.class")) {
                    continue;
                }
                Class<?> k;
                try {
                    k = Class.forName("io.loomzk.protocol." + file.substring(0, file.length() - 6));
                } catch (ClassNotFoundException e) {
                    throw new AssertionError(e);
                }
                if (k.isRecord() && WireRecord.class.isAssignableFrom(k)) {
                    records.add(k.getSimpleName());
                }
            }
        }
        Set<String> covered = RecordCases.all().stream().map(RecordCase::name).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrderElementsOf(records);
        assertThat(records).hasSize(RecordCases.all().size()).hasSizeGreaterThanOrEqualTo(50);
        for (Class<?> permitted : Request.class.getPermittedSubclasses()) {
            assertThat(covered).contains(permitted.getSimpleName());
        }
    }

    @Test
    void everyReplyTypeTheClientReadsIsMarkedAsAReply() {
        Set<String> replies =
                RecordCases.replies().stream().map(RecordCase::name).collect(Collectors.toSet());
        Set<String> expected = new TreeSet<>(List.of("ConnectResponse", "ReplyHeader"));
        for (OpCode op : OpCode.values()) {
            ReplyReader<? extends WireRecord> reader = Frames.replyReader(op);
            if (reader != null) {
                expected.add(FramesTest.expectedReply(op).getSimpleName());
            }
        }
        assertThat(replies).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** Names of length fields that hold text (strings or string vectors), as opposed to buffers and record vectors. */
    static final class RecordCasesText {
        private static final Set<String> NOT_TEXT = Set.of(
                "ConnectRequest.passwd",
                "ConnectResponse.passwd",
                "AuthPacket.auth",
                "CreateRequest.data",
                "CreateTTLRequest.data",
                "SetDataRequest.data",
                "GetDataResponse.data",
                "GetSASLRequest.token",
                "SetSASLRequest.token",
                "SetSASLResponse.token",
                "CreateRequest.acl",
                "CreateTTLRequest.acl",
                "SetACLRequest.acl",
                "GetACLResponse.acl",
                "WhoAmIResponse.clientInfo");

        static boolean isText(String field) {
            return !NOT_TEXT.contains(field);
        }
    }
}
