package io.loomzk.protocol;

/**
 * The reply to a get-all-children-number.
 *
 * <p>Jute record {@code GetAllChildrenNumberResponse}; components in wire order.
 */
public record GetAllChildrenNumberResponse(int totalNumber) implements WireRecord {
    /** The encoded size of every GetAllChildrenNumberResponse. */
    public static final int SIZE = 4;

    @Override
    public int encodedSize() {
        return SIZE;
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        return Encoding.putInt(buf, off, totalNumber);
    }

    /**
     * Reads a {@code GetAllChildrenNumberResponse} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static GetAllChildrenNumberResponse read(Decoder in) throws ProtocolException {
        return new GetAllChildrenNumberResponse(in.readInt("GetAllChildrenNumberResponse.totalNumber"));
    }
}
