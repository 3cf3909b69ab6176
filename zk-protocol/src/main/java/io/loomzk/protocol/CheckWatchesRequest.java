package io.loomzk.protocol;

/**
 * Asks whether watches of a {@link WatcherType} exist on a path.
 *
 * <p>Jute record {@code CheckWatchesRequest}; components in wire order.
 */
public record CheckWatchesRequest(String path, int type) implements Request {
    @Override
    public int encodedSize() {
        return 4 + Encoding.sizeOf(path);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putString(buf, off, path);
        return Encoding.putInt(buf, off, type);
    }

    /**
     * Reads a {@code CheckWatchesRequest} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static CheckWatchesRequest read(Decoder in) throws ProtocolException {
        return new CheckWatchesRequest(
                in.readString("CheckWatchesRequest.path"), in.readInt("CheckWatchesRequest.type"));
    }
}
