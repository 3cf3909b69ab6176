package io.loomzk.protocol;

/**
 * Changes the ensemble's membership, incrementally or as a whole.
 *
 * <p>Jute record {@code ReconfigRequest}; components in wire order.
 */
public record ReconfigRequest(String joiningServers, String leavingServers, String newMembers, long curConfigId)
        implements Request {
    @Override
    public int encodedSize() {
        return 8 + Encoding.sizeOf(joiningServers) + Encoding.sizeOf(leavingServers) + Encoding.sizeOf(newMembers);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putString(buf, off, joiningServers);
        off = Encoding.putString(buf, off, leavingServers);
        off = Encoding.putString(buf, off, newMembers);
        return Encoding.putLong(buf, off, curConfigId);
    }

    /**
     * Reads a {@code ReconfigRequest} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static ReconfigRequest read(Decoder in) throws ProtocolException {
        return new ReconfigRequest(
                in.readString("ReconfigRequest.joiningServers"),
                in.readString("ReconfigRequest.leavingServers"),
                in.readString("ReconfigRequest.newMembers"),
                in.readLong("ReconfigRequest.curConfigId"));
    }
}
