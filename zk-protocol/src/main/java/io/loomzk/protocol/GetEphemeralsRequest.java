package io.loomzk.protocol;

/**
 * Lists this session's ephemeral nodes under a path prefix.
 *
 * <p>Jute record {@code GetEphemeralsRequest}; components in wire order.
 */
public record GetEphemeralsRequest(String prefixPath) implements Request {
    @Override
    public int encodedSize() {
        return Encoding.sizeOf(prefixPath);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        return Encoding.putString(buf, off, prefixPath);
    }

    /**
     * Reads a {@code GetEphemeralsRequest} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static GetEphemeralsRequest read(Decoder in) throws ProtocolException {
        return new GetEphemeralsRequest(in.readString("GetEphemeralsRequest.prefixPath"));
    }
}
