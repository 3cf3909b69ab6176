package io.loomzk.protocol;

/**
 * The header of every reply frame after the handshake: the xid it answers, the zxid the server had reached, and the result code.
 *
 * <p>Jute record {@code ReplyHeader}; components in wire order.
 */
public record ReplyHeader(int xid, long zxid, int err) implements WireRecord {
    /** The encoded size of every ReplyHeader. */
    public static final int SIZE = 16;

    @Override
    public int encodedSize() {
        return SIZE;
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putInt(buf, off, xid);
        off = Encoding.putLong(buf, off, zxid);
        return Encoding.putInt(buf, off, err);
    }

    /**
     * Reads a {@code ReplyHeader} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static ReplyHeader read(Decoder in) throws ProtocolException {
        return new ReplyHeader(
                in.readInt("ReplyHeader.xid"), in.readLong("ReplyHeader.zxid"), in.readInt("ReplyHeader.err"));
    }
}
