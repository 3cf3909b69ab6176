package io.loomzk.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A bounded random mutation fuzz over valid encodings: bit flips, byte and int overwrites with
 * edge values, truncation, insertion, deletion, duplication. The only allowed outcomes are a
 * record (which must encode again and print without error) or a {@link ProtocolException} naming a field;
 * a hang fails the per-test timeout.
 *
 * <p>20,000 mutations per reply type, 2,000 per other record, and 5,000 whole reply frames per
 * op code read as a connection reads them. Every mutation has its own seed, derived from the base
 * seed, the record and the iteration, and printed in any failure with the input bytes; replay
 * with {@code -Dloomzk.test.seed=...}.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MutationFuzzTest {
    private static final long SEED = Long.getLong("loomzk.test.seed", 0xF022_1E55L);
    static final int REPLY_MUTATIONS = Integer.getInteger("loomzk.fuzz.replies", 20_000);
    static final int OTHER_MUTATIONS = Integer.getInteger("loomzk.fuzz.others", 2_000);
    static final int FRAME_MUTATIONS = Integer.getInteger("loomzk.fuzz.frames", 5_000);

    static Stream<RecordCase<?, ?>> cases() {
        return RecordCases.all().stream();
    }

    static Stream<OpCode> opsWithReplyBodies() {
        return Arrays.stream(OpCode.values()).filter(op -> Frames.replyReader(op) != null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void mutatedEncodingsDecodeOrFailWithAProtocolException(RecordCase<?, ?> c) {
        long caseSeed = c.seriesSeed(SEED);
        List<byte[]> corpus = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            corpus.add(c.instance(caseSeed, i, i % 4 == 0).toBytes());
        }
        for (int v = 0; v < 4; v++) {
            corpus.add(c.rich(caseSeed + v, v).toBytes());
        }
        int iterations = c.reply() ? REPLY_MUTATIONS : OTHER_MUTATIONS;
        int decoded = 0;
        int refused = 0;
        for (int i = 0; i < iterations; i++) {
            long seed = RecordCase.seedOf(caseSeed, i);
            Random m = new Random(seed);
            byte[] input = mutate(corpus.get(m.nextInt(corpus.size())), m);
            int limit = switch (m.nextInt(4)) {
                case 0 -> input.length; // the frame fills the decoder's limit exactly
                case 1 -> Integer.MAX_VALUE; // no help from the limit
                default -> Frames.DEFAULT_MAX_FRAME_BYTES;
            };
            String context = c.name() + " mutation #" + i + " (seed " + seed + ", base seed " + SEED + ")";
            Hostile.Outcome o = Hostile.decode(c.reader(), input, 0, input.length, limit, context);
            if (o.failed()) {
                Hostile.assertNamesAField(o.message(), context);
                refused++;
            } else {
                reencodes((WireRecord) o.record(), context);
                decoded++;
            }
        }
        assertThat(decoded + refused).isEqualTo(iterations);
        if (iterations >= 1000) { // both outcomes exercised (with a replay's small counts, maybe not)
            assertThat(refused).as("%s: mutations refused", c.name()).isPositive();
            assertThat(decoded).as("%s: mutations that still decoded", c.name()).isPositive();
        }
    }

    /** Whole reply frames, mutated anywhere (length prefix and header included), read as a connection reads them. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("opsWithReplyBodies")
    void mutatedReplyFramesReadAsAConnectionReadsThem(OpCode op) {
        RecordCase<?, ?> c = RecordCases.of(FramesTest.expectedReply(op));
        long opSeed = SEED ^ ((long) op.ordinal() << 40);
        List<byte[]> corpus = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            WireRecord body = c.instance(opSeed, i, false);
            corpus.add(Frames.reply(new ReplyHeader(i + 1, 1000L + i, 0), body));
        }
        Decoder in = new Decoder(); // reused for every frame, as a connection's reader does
        int complete = 0;
        for (int i = 0; i < FRAME_MUTATIONS; i++) {
            long seed = RecordCase.seedOf(opSeed, i);
            byte[] stream = mutate(corpus.get(new Random(seed).nextInt(corpus.size())), new Random(seed + 1));
            String context = op + " reply frame mutation #" + i + " (seed " + seed + ", base seed " + SEED + ")";
            try {
                if (stream.length < Frames.LENGTH_BYTES) {
                    continue; // the connection would wait for more bytes
                }
                int length = Frames.readLength(stream, 0, in.maxFrameBytes());
                if (Frames.LENGTH_BYTES + length > stream.length) {
                    continue; // an incomplete frame: the connection would wait for more bytes
                }
                complete++;
                in.reset(stream, Frames.LENGTH_BYTES, length);
                ReplyHeader header = ReplyHeader.read(in);
                if (header.err() == 0) {
                    WireRecord body = Frames.readReplyBody(op, in);
                    reencodes(body, context);
                }
                assertThat(in.position()).as(context).isLessThanOrEqualTo(length);
            } catch (ProtocolException e) {
                assertThat(e.getMessage()).as(context).isNotBlank();
                if (!e.getMessage().startsWith("frame length")) {
                    Hostile.assertNamesAField(e.getMessage(), context);
                }
            } catch (Throwable t) {
                throw new AssertionError(
                        context + ": expected a reply or a ProtocolException, got " + t + "; input "
                                + Hostile.hex(stream, 0, stream.length),
                        t);
            }
        }
        if (FRAME_MUTATIONS >= 1000) {
            assertThat(complete)
                    .as("%s: complete frames decoded or refused", op)
                    .isGreaterThan(FRAME_MUTATIONS / 4);
        }
    }

    /** A decoded record encodes again: its size is exact and writing it throws nothing. */
    private static void reencodes(WireRecord record, String context) {
        if (record == null) {
            return;
        }
        try {
            byte[] again = record.toBytes();
            assertThat(again).as(context).hasSize(record.encodedSize());
            // Printing works (whether it prints array identities is RecordsTest's job: decoded
            // strings here can hold any text, "[B@" included).
            assertThat(record.toString()).as(context).isNotNull();
        } catch (RuntimeException e) {
            throw new AssertionError(context + ": decoded " + record + " but it does not encode again", e);
        }
    }

    private static final int[] EDGE_INTS = {
        -1,
        -2,
        0,
        1,
        2,
        4,
        5,
        8,
        13,
        14,
        15,
        19,
        21,
        22,
        99,
        127,
        128,
        255,
        -101,
        -127,
        -128,
        Integer.MIN_VALUE,
        Integer.MAX_VALUE,
        0x7FFFFFF0,
        0x40000000,
        0xFFFF,
        0x10000,
        Frames.DEFAULT_MAX_FRAME_BYTES,
        Frames.DEFAULT_MAX_FRAME_BYTES + 1
    };

    /** One to three random mutations of a copy of {@code base}. */
    static byte[] mutate(byte[] base, Random m) {
        byte[] b = base.clone();
        int rounds = 1 + m.nextInt(3);
        for (int r = 0; r < rounds; r++) {
            int n = b.length;
            switch (m.nextInt(9)) {
                case 0 -> { // flip one bit
                    if (n > 0) {
                        b[m.nextInt(n)] ^= (byte) (1 << m.nextInt(8));
                    }
                }
                case 1 -> { // one byte to an edge or random value
                    if (n > 0) {
                        int[] edges = {0, 1, 2, 0x7F, 0x80, 0xFF, 0xED, 0xC0, 0xF0};
                        b[m.nextInt(n)] = (byte) (m.nextBoolean() ? edges[m.nextInt(edges.length)] : m.nextInt(256));
                    }
                }
                case 2, 3 -> { // a 4-byte window to an edge int, or to a length relative to the window
                    if (n >= 4) {
                        int at = m.nextInt(n - 3);
                        int remaining = n - at - 4;
                        int[] relative = {remaining, remaining + 1, remaining - 1, n, n + 1, remaining / 4 + 1};
                        int value = m.nextBoolean()
                                ? EDGE_INTS[m.nextInt(EDGE_INTS.length)]
                                : relative[m.nextInt(relative.length)];
                        Encoding.putInt(b, at, value);
                    }
                }
                case 4 -> b = Arrays.copyOf(b, n == 0 ? 0 : m.nextInt(n)); // truncate
                case 5 -> { // insert random bytes
                    int at = m.nextInt(n + 1);
                    byte[] extra = new byte[1 + m.nextInt(8)];
                    m.nextBytes(extra);
                    b = splice(b, at, at, extra);
                }
                case 6 -> { // delete a range
                    if (n > 0) {
                        int at = m.nextInt(n);
                        b = splice(b, at, Math.min(n, at + 1 + m.nextInt(8)), new byte[0]);
                    }
                }
                case 7 -> { // duplicate a range in place (repeats a field, a list element or a multi op)
                    if (n > 0 && n < 4096) {
                        int from = m.nextInt(n);
                        int to = Math.min(n, from + 1 + m.nextInt(24));
                        b = splice(b, to, to, Arrays.copyOfRange(b, from, to));
                    }
                }
                default -> { // append random bytes
                    byte[] extra = new byte[1 + m.nextInt(16)];
                    m.nextBytes(extra);
                    b = splice(b, n, n, extra);
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        byte[] out = new byte[b.length - (to - from) + insert.length];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(b, to, out, from + insert.length, b.length - to);
        return out;
    }
}
