package io.loomzk.protocol;

/**
 * Adds a persistent watch; {@code mode} is an {@link AddWatchMode} value.
 *
 * <p>Jute record {@code AddWatchRequest}; components in wire order.
 */
public record AddWatchRequest(String path, int mode) implements Request {
    @Override
    public int encodedSize() {
        return 4 + Encoding.sizeOf(path);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putString(buf, off, path);
        return Encoding.putInt(buf, off, mode);
    }

    /**
     * Reads a {@code AddWatchRequest} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static AddWatchRequest read(Decoder in) throws ProtocolException {
        return new AddWatchRequest(in.readString("AddWatchRequest.path"), in.readInt("AddWatchRequest.mode"));
    }
}
