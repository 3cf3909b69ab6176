package io.loomzk.protocol;

/**
 * A watch notification (xid {@link Xids#NOTIFICATION}): an {@link EventType} code, a {@link KeeperState} code and the path.
 *
 * <p>Jute record {@code WatcherEvent}; components in wire order.
 */
public record WatcherEvent(int type, int state, String path) implements WireRecord {
    @Override
    public int encodedSize() {
        return 8 + Encoding.sizeOf(path);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putInt(buf, off, type);
        off = Encoding.putInt(buf, off, state);
        return Encoding.putString(buf, off, path);
    }

    /**
     * Reads a {@code WatcherEvent} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static WatcherEvent read(Decoder in) throws ProtocolException {
        return new WatcherEvent(
                in.readInt("WatcherEvent.type"), in.readInt("WatcherEvent.state"), in.readString("WatcherEvent.path"));
    }
}
