package io.loomzk.protocol;

/**
 * Counts every node below a path.
 *
 * <p>Jute record {@code GetAllChildrenNumberRequest}; components in wire order.
 */
public record GetAllChildrenNumberRequest(String path) implements Request {
    @Override
    public int encodedSize() {
        return Encoding.sizeOf(path);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        return Encoding.putString(buf, off, path);
    }

    /**
     * Reads a {@code GetAllChildrenNumberRequest} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static GetAllChildrenNumberRequest read(Decoder in) throws ProtocolException {
        return new GetAllChildrenNumberRequest(in.readString("GetAllChildrenNumberRequest.path"));
    }
}
