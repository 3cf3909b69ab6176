package io.loomzk.protocol;

/**
 * A value with an exact ZooKeeper wire encoding: every record of this package.
 *
 * <p>Encoding is size first, then one pass into a byte array of exactly that size; no
 * intermediate buffers, no reflection.
 */
public interface WireRecord {

    /** The exact number of bytes {@link #writeTo} writes. */
    int encodedSize();

    /**
     * Writes this record at {@code offset} and returns the offset just past it.
     *
     * @throws IndexOutOfBoundsException if fewer than {@link #encodedSize()} bytes remain
     */
    int writeTo(byte[] buf, int offset);

    /** This record's encoding in a new array of exactly {@link #encodedSize()} bytes. */
    default byte[] toBytes() {
        byte[] buf = new byte[encodedSize()];
        int end = writeTo(buf, 0);
        Encoding.checkWritten(this, end, buf.length);
        return buf;
    }
}
