package io.loomzk.protocol;

/**
 * Lists a node's children, optionally leaving a child watch.
 *
 * <p>Jute record {@code GetChildrenRequest}; components in wire order.
 */
public record GetChildrenRequest(String path, boolean watch) implements Request {
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
     * Reads a {@code GetChildrenRequest} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static GetChildrenRequest read(Decoder in) throws ProtocolException {
        return new GetChildrenRequest(
                in.readString("GetChildrenRequest.path"), in.readBool("GetChildrenRequest.watch"));
    }
}
