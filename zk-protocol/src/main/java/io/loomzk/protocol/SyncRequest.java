package io.loomzk.protocol;

/**
 * Makes the connected server catch up with the leader before later reads.
 *
 * <p>Jute record {@code SyncRequest}; components in wire order.
 */
public record SyncRequest(String path) implements Request {
    @Override
    public int encodedSize() {
        return Encoding.sizeOf(path);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        return Encoding.putString(buf, off, path);
    }

    /**
     * Reads a {@code SyncRequest} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static SyncRequest read(Decoder in) throws ProtocolException {
        return new SyncRequest(in.readString("SyncRequest.path"));
    }
}
