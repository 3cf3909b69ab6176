package io.loomzk.protocol;

/**
 * Reads a node's ACL.
 *
 * <p>Jute record {@code GetACLRequest}; components in wire order.
 */
public record GetACLRequest(String path) implements Request {
    @Override
    public int encodedSize() {
        return Encoding.sizeOf(path);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        return Encoding.putString(buf, off, path);
    }

    /**
     * Reads a {@code GetACLRequest} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static GetACLRequest read(Decoder in) throws ProtocolException {
        return new GetACLRequest(in.readString("GetACLRequest.path"));
    }
}
