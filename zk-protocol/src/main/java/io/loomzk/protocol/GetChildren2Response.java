package io.loomzk.protocol;

import java.util.List;
import java.util.Objects;

/**
 * The reply to a get-children2: the children's names and the parent's stat.
 *
 * <p>Jute record {@code GetChildren2Response}; components in wire order.
 */
public record GetChildren2Response(List<String> children, Stat stat) implements WireRecord {
    /** Checks that nested records are present: jute cannot encode a missing one. */
    public GetChildren2Response {
        Objects.requireNonNull(stat, "stat");
    }

    @Override
    public int encodedSize() {
        return Encoding.sizeOfStrings(children) + Stat.SIZE;
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putStrings(buf, off, children);
        return stat.writeTo(buf, off);
    }

    /**
     * Reads a {@code GetChildren2Response} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static GetChildren2Response read(Decoder in) throws ProtocolException {
        return new GetChildren2Response(in.readStrings("GetChildren2Response.children"), Stat.read(in));
    }
}
