package io.loomzk.protocol;

import java.util.List;

/**
 * Re-arms one-shot watches after a reconnect, for servers without persistent watches. Sent with xid {@link Xids#SET_WATCHES}.
 *
 * <p>Jute record {@code SetWatches}; components in wire order.
 */
public record SetWatches(
        long relativeZxid, List<String> dataWatches, List<String> existWatches, List<String> childWatches)
        implements Request {
    @Override
    public int encodedSize() {
        return 8
                + Encoding.sizeOfStrings(dataWatches)
                + Encoding.sizeOfStrings(existWatches)
                + Encoding.sizeOfStrings(childWatches);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putLong(buf, off, relativeZxid);
        off = Encoding.putStrings(buf, off, dataWatches);
        off = Encoding.putStrings(buf, off, existWatches);
        return Encoding.putStrings(buf, off, childWatches);
    }

    /**
     * Reads a {@code SetWatches} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static SetWatches read(Decoder in) throws ProtocolException {
        return new SetWatches(
                in.readLong("SetWatches.relativeZxid"),
                in.readStrings("SetWatches.dataWatches"),
                in.readStrings("SetWatches.existWatches"),
                in.readStrings("SetWatches.childWatches"));
    }
}
