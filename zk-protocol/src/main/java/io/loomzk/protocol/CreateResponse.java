package io.loomzk.protocol;

/**
 * The reply to a {@link OpCode#CREATE}: the created path (with its sequence suffix, if any).
 *
 * <p>Jute record {@code CreateResponse}; components in wire order.
 */
public record CreateResponse(String path) implements WireRecord {
    @Override
    public int encodedSize() {
        return Encoding.sizeOf(path);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        return Encoding.putString(buf, off, path);
    }

    /**
     * Reads a {@code CreateResponse} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static CreateResponse read(Decoder in) throws ProtocolException {
        return new CreateResponse(in.readString("CreateResponse.path"));
    }
}
