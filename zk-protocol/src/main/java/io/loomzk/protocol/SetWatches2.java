package io.loomzk.protocol;

import java.util.List;

/**
 * Re-arms every kind of watch after a reconnect (3.6+ servers). Sent with xid {@link Xids#SET_WATCHES}.
 *
 * <p>Jute record {@code SetWatches2}; components in wire order.
 */
public record SetWatches2(
        long relativeZxid,
        List<String> dataWatches,
        List<String> existWatches,
        List<String> childWatches,
        List<String> persistentWatches,
        List<String> persistentRecursiveWatches)
        implements Request {
    @Override
    public int encodedSize() {
        return 8
                + Encoding.sizeOfStrings(dataWatches)
                + Encoding.sizeOfStrings(existWatches)
                + Encoding.sizeOfStrings(childWatches)
                + Encoding.sizeOfStrings(persistentWatches)
                + Encoding.sizeOfStrings(persistentRecursiveWatches);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putLong(buf, off, relativeZxid);
        off = Encoding.putStrings(buf, off, dataWatches);
        off = Encoding.putStrings(buf, off, existWatches);
        off = Encoding.putStrings(buf, off, childWatches);
        off = Encoding.putStrings(buf, off, persistentWatches);
        return Encoding.putStrings(buf, off, persistentRecursiveWatches);
    }

    /**
     * Reads a {@code SetWatches2} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static SetWatches2 read(Decoder in) throws ProtocolException {
        return new SetWatches2(
                in.readLong("SetWatches2.relativeZxid"),
                in.readStrings("SetWatches2.dataWatches"),
                in.readStrings("SetWatches2.existWatches"),
                in.readStrings("SetWatches2.childWatches"),
                in.readStrings("SetWatches2.persistentWatches"),
                in.readStrings("SetWatches2.persistentRecursiveWatches"));
    }
}
