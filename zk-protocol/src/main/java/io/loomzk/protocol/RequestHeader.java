package io.loomzk.protocol;

/**
 * The header of every request frame after the handshake: the caller's transaction id and the op code.
 *
 * <p>Jute record {@code RequestHeader}; components in wire order.
 */
public record RequestHeader(int xid, int type) implements WireRecord {
    /** The encoded size of every RequestHeader. */
    public static final int SIZE = 8;

    @Override
    public int encodedSize() {
        return SIZE;
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putInt(buf, off, xid);
        return Encoding.putInt(buf, off, type);
    }

    /**
     * Reads a {@code RequestHeader} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static RequestHeader read(Decoder in) throws ProtocolException {
        return new RequestHeader(in.readInt("RequestHeader.xid"), in.readInt("RequestHeader.type"));
    }
}
