package io.loomzk.protocol;

import java.util.Objects;

/**
 * The reply to {@link OpCode#CREATE2}, {@link OpCode#CREATE_CONTAINER} and {@link OpCode#CREATE_TTL}: the created path and its stat.
 *
 * <p>Jute record {@code Create2Response}; components in wire order.
 */
public record Create2Response(String path, Stat stat) implements WireRecord {
    /** Checks that nested records are present: jute cannot encode a missing one. */
    public Create2Response {
        Objects.requireNonNull(stat, "stat");
    }

    @Override
    public int encodedSize() {
        return Encoding.sizeOf(path) + Stat.SIZE;
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putString(buf, off, path);
        return stat.writeTo(buf, off);
    }

    /**
     * Reads a {@code Create2Response} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static Create2Response read(Decoder in) throws ProtocolException {
        return new Create2Response(in.readString("Create2Response.path"), Stat.read(in));
    }
}
