package io.loomzk.protocol;

/**
 * A bare result code: the result of a failed op inside a multi, and the reply to an add-watch.
 *
 * <p>Jute record {@code ErrorResponse}; components in wire order.
 */
public record ErrorResponse(int err) implements WireRecord {
    /** The encoded size of every ErrorResponse. */
    public static final int SIZE = 4;

    @Override
    public int encodedSize() {
        return SIZE;
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        return Encoding.putInt(buf, off, err);
    }

    /**
     * Reads a {@code ErrorResponse} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static ErrorResponse read(Decoder in) throws ProtocolException {
        return new ErrorResponse(in.readInt("ErrorResponse.err"));
    }
}
