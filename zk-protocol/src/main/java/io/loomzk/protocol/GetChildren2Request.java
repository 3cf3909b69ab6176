package io.loomzk.protocol;

/**
 * Lists a node's children and returns its stat, optionally leaving a child watch.
 *
 * <p>Jute record {@code GetChildren2Request}; components in wire order.
 */
public record GetChildren2Request(String path, boolean watch) implements Request {
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
     * Reads a {@code GetChildren2Request} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static GetChildren2Request read(Decoder in) throws ProtocolException {
        return new GetChildren2Request(
                in.readString("GetChildren2Request.path"), in.readBool("GetChildren2Request.watch"));
    }
}
