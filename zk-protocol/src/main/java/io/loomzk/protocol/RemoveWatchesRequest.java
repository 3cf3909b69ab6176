package io.loomzk.protocol;

/**
 * Removes the watches of a {@link WatcherType} from a path.
 *
 * <p>Jute record {@code RemoveWatchesRequest}; components in wire order.
 */
public record RemoveWatchesRequest(String path, int type) implements Request {
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
     * Reads a {@code RemoveWatchesRequest} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static RemoveWatchesRequest read(Decoder in) throws ProtocolException {
        return new RemoveWatchesRequest(
                in.readString("RemoveWatchesRequest.path"), in.readInt("RemoveWatchesRequest.type"));
    }
}
