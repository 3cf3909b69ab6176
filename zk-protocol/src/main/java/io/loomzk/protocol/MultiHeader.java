package io.loomzk.protocol;

/**
 * Precedes each op of a multi request and each result of its reply; a header with {@code done} set ends the list.
 *
 * <p>Jute record {@code MultiHeader}; components in wire order.
 */
public record MultiHeader(int type, boolean done, int err) implements WireRecord {
    /** The encoded size of every MultiHeader. */
    public static final int SIZE = 9;

    @Override
    public int encodedSize() {
        return SIZE;
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putInt(buf, off, type);
        off = Encoding.putBool(buf, off, done);
        return Encoding.putInt(buf, off, err);
    }

    /**
     * Reads a {@code MultiHeader} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static MultiHeader read(Decoder in) throws ProtocolException {
        return new MultiHeader(
                in.readInt("MultiHeader.type"), in.readBool("MultiHeader.done"), in.readInt("MultiHeader.err"));
    }
}
