package io.loomzk.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed input for every record with a {@code read(Decoder)}, replies and the handshake first
 * among them: each must yield the record (with unknown codes kept raw) or a
 * {@link ProtocolException} whose message names the field and the offset, and nothing else: no
 * {@code IndexOutOfBoundsException}, {@code NegativeArraySizeException}, {@code OutOfMemoryError},
 * big allocation or hang.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileInputTest {
    private static final long SEED = Long.getLong("loomzk.test.seed", 0x4057_11E5L);

    static Stream<RecordCase<?, ?>> cases() {
        return RecordCases.all().stream();
    }

    private static boolean endsWithOptionalReadOnly(RecordCase<?, ?> c) {
        return c.type() == ConnectRequest.class || c.type() == ConnectResponse.class;
    }

    /** Instances to attack: the forced shapes (nulls, empties, extremes, rich) and some random ones. */
    private static List<WireRecord> victims(RecordCase<?, ?> c, int count) {
        List<WireRecord> out = new ArrayList<>();
        long series = c.seriesSeed(SEED);
        for (int i = 0; i < count; i++) {
            out.add(c.instance(series, i, i % 3 == 0));
        }
        for (int v = 0; v < 4; v++) {
            out.add(c.rich(series + v, v));
        }
        return out;
    }

    /**
     * Every strict prefix of a valid encoding is refused with a message naming a field, even
     * though the bytes after the limit are there in the array (the decoder must not look).
     * ConnectRequest and ConnectResponse are the exception where the prefix ends just before
     * {@code readOnly}: old servers send that, and it decodes with {@code readOnly=false}.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void truncationAtEveryOffsetIsAProtocolExceptionNamingTheField(RecordCase<?, ?> c) {
        int checked = 0;
        for (WireRecord victim : victims(c, 40)) {
            byte[] bytes = victim.toBytes();
            for (int k = 0; k < bytes.length; k++) {
                String context = c.name() + " cut to " + k + " of " + bytes.length + " bytes, " + victim;
                Hostile.Outcome o = Hostile.decode(c.reader(), bytes, 0, k, Frames.DEFAULT_MAX_FRAME_BYTES, context);
                if (endsWithOptionalReadOnly(c) && k == bytes.length - 1) {
                    assertThat(o.failed()).as(context).isFalse();
                    assertThat(o.record()).as(context).isEqualTo(withoutReadOnly(victim));
                    continue;
                }
                assertThat(o.failed())
                        .as("%s decoded to %s", context, o.record())
                        .isTrue();
                Hostile.assertNamesAField(o.message(), context);
                assertThat(o.message()).as(context).containsAnyOf("needs ", "runs past the end", "cannot fit");
                checked++;
            }
        }
        assertThat(checked).isPositive();
    }

    private static WireRecord withoutReadOnly(WireRecord r) {
        if (r instanceof ConnectRequest q) {
            return new ConnectRequest(
                    q.protocolVersion(), q.lastZxidSeen(), q.timeOut(), q.sessionId(), q.passwd(), false);
        }
        ConnectResponse s = (ConnectResponse) r;
        return new ConnectResponse(s.protocolVersion(), s.timeOut(), s.sessionId(), s.passwd(), false);
    }

    private static final Pattern NEGATIVE =
            Pattern.compile("^(\\w+\\.\\w+): negative (length|element count) (-?\\d+) at offset (\\d+)$");
    private static final Pattern OVER_LIMIT = Pattern.compile(
            "^(\\w+\\.\\w+): length (\\d+) at offset (\\d+) exceeds the maximum frame size of (\\d+) bytes$");
    private static final Pattern PAST_END = Pattern.compile(
            "^(\\w+\\.\\w+): length (\\d+) at offset (\\d+) runs past the end of the (\\d+)-byte frame \\((\\d+) bytes left\\)$");
    private static final Pattern CANNOT_FIT = Pattern.compile(
            "^(\\w+\\.\\w+): (\\d+) elements at offset (\\d+) cannot fit in the (\\d+) bytes left in the frame \\(each takes at least (\\d+)\\)$");

    /**
     * Overwrites every 4-byte window of rich encodings (every string, buffer and vector present)
     * with hostile lengths: -2, {@code MIN_VALUE}, one more than what remains, one more than the
     * frame limit (the decoder's limit is the frame's own size), {@code MAX_VALUE}. Every outcome is
     * a record or a ProtocolException, and when the window is exactly a length field, the message
     * names that field, the value and the exact offset. The set of fields hit that way must be
     * exactly the record's length fields: each one is checked, none is forgotten.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyLengthAndCountIsCheckedAndNamedWithItsOffset(RecordCase<?, ?> c) {
        Map<String, Set<String>> hits = new TreeMap<>();
        for (int v = 0; v < 4; v++) {
            WireRecord victim = c.rich(c.seriesSeed(SEED) + v, v);
            byte[] bytes = victim.toBytes();
            int n = bytes.length;
            for (int p = 0; p + 4 <= n; p++) {
                int remainingAfter = n - p - 4;
                int[] values = {-2, Integer.MIN_VALUE, -1, remainingAfter + 1, n + 1, Integer.MAX_VALUE, 0};
                for (int value : values) {
                    byte[] hostile = Hostile.withInt(bytes, p, value);
                    String context = c.name() + " with " + value + " at offset " + p + " of " + victim;
                    Hostile.Outcome o = Hostile.decode(c.reader(), hostile, 0, n, n, context);
                    if (!o.failed()) {
                        continue;
                    }
                    Hostile.assertNamesAField(o.message(), context);
                    classify(o.message(), value, p, remainingAfter, n, hits);
                }
            }
        }
        Set<String> expected = c.lengthFields();
        assertThat(hits.getOrDefault("negative -2", Set.of()))
                .as("%s: fields refusing length -2 at their own offset", c.name())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(hits.getOrDefault("negative MIN_VALUE", Set.of()))
                .as("%s: fields refusing length MIN_VALUE at their own offset", c.name())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(hits.getOrDefault("past the end", Set.of()))
                .as("%s: fields refusing a length one beyond what remains", c.name())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(hits.getOrDefault("over the limit", Set.of()))
                .as("%s: fields refusing a length beyond the frame limit", c.name())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(hits.getOrDefault("MAX_VALUE", Set.of()))
                .as("%s: fields refusing a 2 GiB length", c.name())
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * Files a message under what it proves, when it reports exactly the value written at exactly
     * its offset. A string or buffer length beyond the limit must say so ("exceeds the maximum
     * frame size"), one beyond what remains must say "runs past the end"; a vector count beyond
     * either says it "cannot fit" in what remains (the frame is never larger than the limit).
     */
    private static void classify(
            String message, int value, int p, int remainingAfter, int n, Map<String, Set<String>> hits) {
        Matcher m = NEGATIVE.matcher(message);
        if (m.matches() && Integer.parseInt(m.group(3)) == value && Integer.parseInt(m.group(4)) == p) {
            hit(hits, value == -2 ? "negative -2" : "negative MIN_VALUE", m.group(1));
        } else if ((m = OVER_LIMIT.matcher(message)).matches()
                && Long.parseLong(m.group(2)) == value
                && Integer.parseInt(m.group(3)) == p
                && Integer.parseInt(m.group(4)) == n) {
            if (value == n + 1) {
                hit(hits, "over the limit", m.group(1));
            } else if (value == Integer.MAX_VALUE) {
                hit(hits, "MAX_VALUE", m.group(1));
            }
        } else if ((m = PAST_END.matcher(message)).matches()
                && Long.parseLong(m.group(2)) == value
                && Integer.parseInt(m.group(3)) == p
                && Integer.parseInt(m.group(4)) == n
                && Integer.parseInt(m.group(5)) == remainingAfter) {
            if (value == remainingAfter + 1) {
                hit(hits, "past the end", m.group(1));
            }
        } else if ((m = CANNOT_FIT.matcher(message)).matches()
                && Long.parseLong(m.group(2)) == value
                && Integer.parseInt(m.group(3)) == p
                && Integer.parseInt(m.group(4)) == remainingAfter) {
            if (value == remainingAfter + 1) {
                hit(hits, "past the end", m.group(1));
            } else if (value == n + 1) {
                hit(hits, "over the limit", m.group(1));
            } else if (value == Integer.MAX_VALUE) {
                hit(hits, "MAX_VALUE", m.group(1));
            }
        }
    }

    private static void hit(Map<String, Set<String>> hits, String what, String field) {
        hits.computeIfAbsent(what, k -> new TreeSet<>()).add(field);
    }

    /**
     * A 2 GiB length or count (and other huge ones) at every offset of every record allocates
     * nothing near its claim: the decoder refuses it before allocating, even when its own limit
     * would allow it. Measured with the thread's allocation counter, per decode.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aTwoGibLengthClaimAllocatesNothingBig(RecordCase<?, ?> c) {
        AllocationCounter counter = AllocationCounter.create();
        assumeThat(counter).as("per-thread allocation counter").isNotNull();
        for (int round = 0; round < 2; round++) { // the first round warms up (class loading, string concat bootstraps)
            for (int v = 0; v < 4; v++) {
                byte[] bytes = c.rich(c.seriesSeed(SEED) ^ 0x261BL, v).toBytes();
                for (int p = 0; p + 4 <= bytes.length; p++) {
                    for (int claim :
                            new int[] {Integer.MAX_VALUE, 0x7FFFFFF0, 0x40000000, Frames.DEFAULT_MAX_FRAME_BYTES}) {
                        byte[] hostile = Hostile.withInt(bytes, p, claim);
                        for (int limit : new int[] {Integer.MAX_VALUE, Frames.DEFAULT_MAX_FRAME_BYTES}) {
                            String context = c.name() + " claiming " + claim + " at offset " + p + ", limit " + limit;
                            long before = counter.bytes();
                            Hostile.decode(c.reader(), hostile, 0, hostile.length, limit, context);
                            long allocated = counter.bytes() - before;
                            if (round == 1) {
                                assertThat(allocated)
                                        .as(
                                                "%s: bytes allocated by one decode of a %d-byte frame",
                                                context, bytes.length)
                                        .isLessThan(64 * 1024 + 16L * bytes.length);
                            }
                        }
                    }
                }
            }
        }
    }

    // ---- unknown codes: kept raw, never coerced

    /** Ints from -300 to 300 and the extremes: every code a field could carry, known or not. */
    private static int[] codes() {
        int[] out = new int[601 + 4];
        for (int i = 0; i <= 600; i++) {
            out[i] = i - 300;
        }
        out[601] = Integer.MIN_VALUE;
        out[602] = Integer.MIN_VALUE + 1;
        out[603] = Integer.MAX_VALUE;
        out[604] = 0x10000;
        return out;
    }

    @Test
    void unknownErrorCodesInRepliesAreKeptRaw() throws ProtocolException {
        for (int err : codes()) {
            ReplyHeader h = ReplyHeader.read(Decoder.of(new ReplyHeader(7, 42L, err).toBytes()));
            assertThat(h.err()).isEqualTo(err);
            ErrorCode code = ErrorCode.of(err);
            assertThat(code == ErrorCode.UNKNOWN || code.code() == err)
                    .as("ErrorCode.of(%d) = %s", err, code)
                    .isTrue();
            ErrorResponse e = ErrorResponse.read(Decoder.of(new ErrorResponse(err).toBytes()));
            assertThat(e.err()).isEqualTo(err);
        }
        for (int unknown :
                new int[] {-9, -10, -11, -15, -99, -104, -109, -116, -126, -128, 1, 100, Integer.MIN_VALUE}) {
            assertThat(ErrorCode.of(unknown)).as("code %d", unknown).isEqualTo(ErrorCode.UNKNOWN);
            assertThat(ErrorCode.describe(unknown)).isEqualTo("UNKNOWN(" + unknown + ")");
        }
        assertThat(ErrorCode.describe(-101)).isEqualTo("NO_NODE(-101)");
    }

    @Test
    void unknownEventTypesAndStatesInNotificationsAreKeptRaw() throws ProtocolException {
        for (int code : codes()) {
            WatcherEvent e = WatcherEvent.read(Decoder.of(new WatcherEvent(code, -code, "/p").toBytes()));
            assertThat(e).isEqualTo(new WatcherEvent(code, -code, "/p"));
            EventType type = EventType.of(code);
            assertThat(type == EventType.UNKNOWN || type.code() == code).isTrue();
            KeeperState state = KeeperState.of(-code);
            assertThat(state == KeeperState.UNKNOWN || state.code() == -code).isTrue();
        }
        for (int unknown : new int[] {0, 8, 99, -2, Integer.MIN_VALUE}) {
            assertThat(EventType.of(unknown)).isEqualTo(EventType.UNKNOWN);
        }
        for (int unknown : new int[] {2, 8, 99, -2, -113, Integer.MAX_VALUE}) {
            assertThat(KeeperState.of(unknown)).isEqualTo(KeeperState.UNKNOWN);
        }
    }

    @Test
    void unknownOpCodesFlagsModesAndPermsInRequestsAreKeptRaw() throws ProtocolException {
        for (int code : codes()) {
            assertThat(RequestHeader.read(Decoder.of(new RequestHeader(1, code).toBytes()))
                            .type())
                    .isEqualTo(code);
            OpCode op = OpCode.of(code);
            assertThat(op == OpCode.UNKNOWN || op.code() == code).isTrue();
            assertThat(MultiHeader.read(Decoder.of(new MultiHeader(code, false, code).toBytes())))
                    .isEqualTo(new MultiHeader(code, false, code));
            assertThat(CreateRequest.read(Decoder.of(new CreateRequest("/a", null, null, code).toBytes()))
                            .flags())
                    .isEqualTo(code);
            assertThat(AddWatchRequest.read(Decoder.of(new AddWatchRequest("/a", code).toBytes()))
                            .mode())
                    .isEqualTo(code);
            assertThat(RemoveWatchesRequest.read(Decoder.of(new RemoveWatchesRequest("/a", code).toBytes()))
                            .type())
                    .isEqualTo(code);
            assertThat(ACL.read(Decoder.of(new ACL(code, new Id("world", "anyone")).toBytes()))
                            .perms())
                    .isEqualTo(code);
        }
        assertThat(OpCode.of(10)).isEqualTo(OpCode.UNKNOWN);
        assertThat(OpCode.of(23)).isEqualTo(OpCode.UNKNOWN);
        assertThat(OpCode.of(108)).isEqualTo(OpCode.UNKNOWN);
        assertThat(OpCode.of(Integer.MIN_VALUE)).isEqualTo(OpCode.UNKNOWN);
    }

    @Test
    void multiResultsKeepUnknownAndDisagreeingErrorCodes() throws ProtocolException {
        MultiResponse sent = new MultiResponse(List.of(
                new MultiResponse.Result(OpCode.ERROR, -999, new ErrorResponse(-999)),
                // The header's code and the body's code disagree: both are kept as sent.
                new MultiResponse.Result(OpCode.ERROR, -101, new ErrorResponse(-2)),
                // A successful result whose header carries a code anyway.
                new MultiResponse.Result(OpCode.DELETE, 7, null),
                new MultiResponse.Result(OpCode.CREATE, Integer.MIN_VALUE, new CreateResponse("/x"))));
        MultiResponse read = MultiResponse.read(Decoder.of(sent.toBytes()));
        assertThat(read).isEqualTo(sent);
        assertThat(read.results().get(0).error()).isEqualTo(ErrorCode.UNKNOWN);
        assertThat(read.results().get(0).err()).isEqualTo(-999);
        assertThat(read.results().get(1).err()).isEqualTo(-101);
        assertThat(((ErrorResponse) read.results().get(1).body()).err()).isEqualTo(-2);
        assertThat(read.results().get(2).err()).isEqualTo(7);
    }

    private static final Set<Integer> MULTI_RESULT_TYPES = Set.of(1, 15, 2, 13, 5, 4, 8, -1);
    private static final Set<Integer> MULTI_OP_TYPES = Set.of(1, 15, 19, 21, 2, 5, 13, 4, 8);

    @Test
    void unknownMultiResultTypesAreProtocolExceptionsNamingTypeAndOffset() {
        byte[] delete = new MultiHeader(OpCode.DELETE.code(), false, 0).toBytes(); // 9 bytes, no body
        int refused = 0;
        for (int type : codes()) {
            byte[] frame = concat(
                    delete,
                    new MultiHeader(type, false, 0).toBytes(),
                    new byte[80], // room for any body the type could have had
                    new MultiHeader(-1, true, -1).toBytes());
            Hostile.Outcome o = Hostile.decode(
                    MultiResponse::read, frame, 0, frame.length, Frames.DEFAULT_MAX_FRAME_BYTES, "result type " + type);
            if (MULTI_RESULT_TYPES.contains(type)) {
                continue; // a known type: its body is read from the zeros, whatever comes of it
            }
            assertThat(o.failed()).as("result type %d", type).isTrue();
            assertThat(o.message())
                    .isEqualTo("MultiResponse: result type " + type + " at offset 9 cannot be part of a multi reply");
            refused++;
        }
        assertThat(refused).isEqualTo(codes().length - MULTI_RESULT_TYPES.size());
    }

    @Test
    void unknownMultiOpTypesAreProtocolExceptionsNamingTypeAndOffset() {
        byte[] delete = concat(
                new MultiHeader(OpCode.DELETE.code(), false, -1).toBytes(), new DeleteRequest("/a", 1).toBytes());
        int refused = 0;
        for (int type : codes()) {
            byte[] frame = concat(
                    delete,
                    new MultiHeader(type, false, -1).toBytes(),
                    new byte[80],
                    new MultiHeader(-1, true, -1).toBytes());
            Hostile.Outcome o = Hostile.decode(
                    MultiRequest::read, frame, 0, frame.length, Frames.DEFAULT_MAX_FRAME_BYTES, "op type " + type);
            if (MULTI_OP_TYPES.contains(type)) {
                continue;
            }
            assertThat(o.failed()).as("op type %d", type).isTrue();
            assertThat(o.message())
                    .isEqualTo("MultiRequest: op type " + type + " at offset " + delete.length
                            + " cannot be part of a multi");
            refused++;
        }
        assertThat(refused).isEqualTo(codes().length - MULTI_OP_TYPES.size());
    }

    @Test
    void aMultiEndsAtAnyDoneHeaderAsApacheReadsIt() throws ProtocolException {
        byte[] frame = concat(
                new MultiHeader(OpCode.DELETE.code(), false, 0).toBytes(), new MultiHeader(5, true, 7).toBytes());
        assertThat(MultiResponse.read(Decoder.of(frame)).results()).hasSize(1);
        frame[9 + 4] = 2; // done = 2: any non-zero byte is true, as in jute
        assertThat(MultiResponse.read(Decoder.of(frame)).results()).hasSize(1);
        Decoder in = Decoder.of(concat(frame, new byte[] {1, 2, 3}));
        MultiResponse.read(in);
        assertThat(in.remaining())
                .as("bytes after the done header are not the multi's")
                .isEqualTo(3);
    }

    @Test
    void aMultiWithoutItsDoneHeaderIsAProtocolException() {
        byte[] frame = concat(new MultiHeader(OpCode.DELETE.code(), false, 0).toBytes());
        Hostile.Outcome o =
                Hostile.decode(MultiResponse::read, frame, 0, frame.length, Frames.DEFAULT_MAX_FRAME_BYTES, "no end");
        assertThat(o.message())
                .isEqualTo("MultiHeader.type: needs 4 bytes at offset 9 but the 9-byte frame has only 0 left");
    }

    /** The cheapest results (9-byte headers without bodies) filling a whole frame decode quickly, one per 9 bytes. */
    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aFrameFullOfBodilessResultsIsBoundedByTheFrame() throws ProtocolException {
        int n = (Frames.DEFAULT_MAX_FRAME_BYTES - 9) / 9;
        byte[] frame = new byte[n * 9 + 9];
        byte[] check = new MultiHeader(OpCode.CHECK.code(), false, 0).toBytes();
        for (int i = 0; i < n; i++) {
            System.arraycopy(check, 0, frame, i * 9, 9);
        }
        new MultiHeader(-1, true, -1).writeTo(frame, n * 9);
        assertThat(MultiResponse.read(Decoder.of(frame)).results()).hasSize(n);
        // The same without the end: refused at the end of the frame, not a loop.
        Hostile.Outcome o = Hostile.decode(
                MultiResponse::read, frame, 0, n * 9, Frames.DEFAULT_MAX_FRAME_BYTES, "full frame without end");
        assertThat(o.message()).startsWith("MultiHeader.type: needs 4 bytes at offset " + n * 9);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
