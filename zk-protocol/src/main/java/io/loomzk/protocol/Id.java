package io.loomzk.protocol;

/**
 * An identity: an auth scheme and an id within it, e.g. {@code world:anyone} or {@code digest:user:hash}.
 *
 * <p>Jute record {@code Id}; components in wire order.
 */
public record Id(String scheme, String id) implements WireRecord {
    @Override
    public int encodedSize() {
        return Encoding.sizeOf(scheme) + Encoding.sizeOf(id);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putString(buf, off, scheme);
        return Encoding.putString(buf, off, id);
    }

    /**
     * Reads a {@code Id} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static Id read(Decoder in) throws ProtocolException {
        return new Id(in.readString("Id.scheme"), in.readString("Id.id"));
    }
}
