package io.loomzk.protocol;

/**
 * The reply to a sync: the path.
 *
 * <p>Jute record {@code SyncResponse}; components in wire order.
 */
public record SyncResponse(String path) implements WireRecord {
    @Override
    public int encodedSize() {
        return Encoding.sizeOf(path);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        return Encoding.putString(buf, off, path);
    }

    /**
     * Reads a {@code SyncResponse} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static SyncResponse read(Decoder in) throws ProtocolException {
        return new SyncResponse(in.readString("SyncResponse.path"));
    }
}
