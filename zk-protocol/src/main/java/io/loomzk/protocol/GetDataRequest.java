package io.loomzk.protocol;

/**
 * Reads a node's data and stat, optionally leaving a data watch.
 *
 * <p>Jute record {@code GetDataRequest}; components in wire order.
 */
public record GetDataRequest(String path, boolean watch) implements Request {
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
     * Reads a {@code GetDataRequest} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static GetDataRequest read(Decoder in) throws ProtocolException {
        return new GetDataRequest(in.readString("GetDataRequest.path"), in.readBool("GetDataRequest.watch"));
    }
}
