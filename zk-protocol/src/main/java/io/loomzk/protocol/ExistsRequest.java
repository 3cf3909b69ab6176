package io.loomzk.protocol;

/**
 * Reads a node's stat, optionally leaving an exists watch (which also fires on creation).
 *
 * <p>Jute record {@code ExistsRequest}; components in wire order.
 */
public record ExistsRequest(String path, boolean watch) implements Request {
    @Override
    public int encodedSize() {
        return 1 + Encoding.sizeOf(path);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putString(buf, off, path);
        return Encoding.putBool(buf, off, watch);
    }

    /**
     * Reads a {@code ExistsRequest} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static ExistsRequest read(Decoder in) throws ProtocolException {
        return new ExistsRequest(in.readString("ExistsRequest.path"), in.readBool("ExistsRequest.watch"));
    }
}
