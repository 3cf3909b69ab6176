package io.loomzk.protocol;

/**
 * Deletes a node if its version matches ({@code -1}: any version).
 *
 * <p>Jute record {@code DeleteRequest}; components in wire order.
 */
public record DeleteRequest(String path, int version) implements Request {
    @Override
    public int encodedSize() {
        return 4 + Encoding.sizeOf(path);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putString(buf, off, path);
        return Encoding.putInt(buf, off, version);
    }

    /**
     * Reads a {@code DeleteRequest} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static DeleteRequest read(Decoder in) throws ProtocolException {
        return new DeleteRequest(in.readString("DeleteRequest.path"), in.readInt("DeleteRequest.version"));
    }
}
