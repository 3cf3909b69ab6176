package io.loomzk.protocol;

/**
 * Checks a node's version; used inside a multi (op code {@link OpCode#CHECK}).
 *
 * <p>Jute record {@code CheckVersionRequest}; components in wire order.
 */
public record CheckVersionRequest(String path, int version) implements Request {
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
     * Reads a {@code CheckVersionRequest} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static CheckVersionRequest read(Decoder in) throws ProtocolException {
        return new CheckVersionRequest(
                in.readString("CheckVersionRequest.path"), in.readInt("CheckVersionRequest.version"));
    }
}
