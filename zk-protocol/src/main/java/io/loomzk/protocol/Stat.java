package io.loomzk.protocol;

/**
 * A node's metadata, as the server reports it with most replies.
 *
 * <p>Jute record {@code Stat}; components in wire order.
 */
public record Stat(
        long czxid,
        long mzxid,
        long ctime,
        long mtime,
        int version,
        int cversion,
        int aversion,
        long ephemeralOwner,
        int dataLength,
        int numChildren,
        long pzxid)
        implements WireRecord {
    /** The encoded size of every Stat. */
    public static final int SIZE = 68;

    @Override
    public int encodedSize() {
        return SIZE;
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putLong(buf, off, czxid);
        off = Encoding.putLong(buf, off, mzxid);
        off = Encoding.putLong(buf, off, ctime);
        off = Encoding.putLong(buf, off, mtime);
        off = Encoding.putInt(buf, off, version);
        off = Encoding.putInt(buf, off, cversion);
        off = Encoding.putInt(buf, off, aversion);
        off = Encoding.putLong(buf, off, ephemeralOwner);
        off = Encoding.putInt(buf, off, dataLength);
        off = Encoding.putInt(buf, off, numChildren);
        return Encoding.putLong(buf, off, pzxid);
    }

    /**
     * Reads a {@code Stat} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static Stat read(Decoder in) throws ProtocolException {
        return new Stat(
                in.readLong("Stat.czxid"),
                in.readLong("Stat.mzxid"),
                in.readLong("Stat.ctime"),
                in.readLong("Stat.mtime"),
                in.readInt("Stat.version"),
                in.readInt("Stat.cversion"),
                in.readInt("Stat.aversion"),
                in.readLong("Stat.ephemeralOwner"),
                in.readInt("Stat.dataLength"),
                in.readInt("Stat.numChildren"),
                in.readLong("Stat.pzxid"));
    }
}
