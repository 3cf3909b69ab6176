package io.loomzk.protocol;

import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.jute.Record;

/**
 * One LoomZK record and its Apache counterpart, for the table-driven tests.
 *
 * @param name the record's name, as the tests report it
 * @param type the LoomZK record class
 * @param generate a random instance from a {@link Gen} (restricted where Apache's object model
 *     cannot hold a shape; each restriction is commented where the generator is)
 * @param toJute the equivalent Apache object, field by field
 * @param fromJute the LoomZK record equivalent to an Apache object, field by field
 * @param emptyJute a fresh Apache object for jute to deserialize into
 * @param reader LoomZK's decoder of the record
 * @param lengthFields every string, buffer and vector field a {@link Gen.Style#RICH} instance's
 *     encoding holds, named as the decoder names them ({@code Record.field}); the hostile-input
 *     tests check that each is bounds-checked and named
 * @param reply whether a client reads this record from a server (a reply or handshake reply)
 */
record RecordCase<L extends WireRecord, A extends Record>(
        String name,
        Class<L> type,
        Function<Gen, L> generate,
        Function<L, A> toJute,
        Function<A, L> fromJute,
        Supplier<A> emptyJute,
        ReplyReader<L> reader,
        Set<String> lengthFields,
        boolean reply) {

    static <L extends WireRecord, A extends Record> RecordCase<L, A> of(
            Class<L> type,
            Function<Gen, L> generate,
            Function<L, A> toJute,
            Function<A, L> fromJute,
            Supplier<A> emptyJute,
            ReplyReader<L> reader) {
        return new RecordCase<>(
                type.getSimpleName(), type, generate, toJute, fromJute, emptyJute, reader, Set.of(), false);
    }

    /** This case with the given length fields. */
    RecordCase<L, A> lengths(String... fields) {
        return new RecordCase<>(name, type, generate, toJute, fromJute, emptyJute, reader, Set.of(fields), reply);
    }

    /** This case, marked as a record a client reads from a server. */
    RecordCase<L, A> asReply() {
        return new RecordCase<>(name, type, generate, toJute, fromJute, emptyJute, reader, lengthFields, true);
    }

    /** Instance {@code index} of a series seeded with {@code seriesSeed}. */
    L instance(long seriesSeed, int index, boolean surrogates) {
        return generate.apply(new Gen(seedOf(seriesSeed, index), Gen.styleOf(index), surrogates, index));
    }

    /** A {@link Gen.Style#RICH} instance: every length field present. */
    L rich(long seed, int variant) {
        return generate.apply(new Gen(seed, Gen.Style.RICH, false, variant));
    }

    /** The seed of instance {@code index} of a series, printed with every failure. */
    static long seedOf(long seriesSeed, int index) {
        return seriesSeed * 0x9E3779B97F4A7C15L + index;
    }

    /** A per-record series seed derived from a base seed, so records do not share instances. */
    long seriesSeed(long baseSeed) {
        return baseSeed ^ ((long) name.hashCode() << 32);
    }

    byte[] juteBytes(L record) {
        return Jute.write(toJute.apply(record));
    }

    L decodeWithJute(byte[] bytes) {
        return fromJute.apply(Jute.read(bytes, emptyJute.get()));
    }

    @Override
    public String toString() {
        return name;
    }
}
