package io.loomzk.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A cursor over one frame's bytes (after its 4-byte length prefix) that reads jute's binary
 * encoding and trusts nothing it reads.
 *
 * <p>Every length and count is checked before anything is allocated for it: against the bytes
 * that remain in the frame and against the maximum frame size. A string or buffer length below
 * -1, a count that could not fit in what remains, or a read past the end throws
 * {@link ProtocolException} naming the field and the offset. No input can make a decoder
 * allocate more than its frame holds or loop more times than the frame has bytes.
 *
 * <p>Strings decode as jute decodes them ({@code new String(bytes, UTF_8)}, malformed input
 * replaced). A decoder is not thread-safe; a connection's reader reuses one for every frame.
 */
public final class Decoder {
    private static final byte[] EMPTY = new byte[0];

    private final int maxFrameBytes;
    private byte[] buf = EMPTY;
    private int start;
    private int pos;
    private int limit;

    /** A decoder for frames of at most {@link Frames#DEFAULT_MAX_FRAME_BYTES} bytes. */
    public Decoder() {
        this(Frames.DEFAULT_MAX_FRAME_BYTES);
    }

    /**
     * A decoder for frames of at most {@code maxFrameBytes} bytes.
     *
     * @throws IllegalArgumentException if {@code maxFrameBytes} is negative
     */
    public Decoder(int maxFrameBytes) {
        if (maxFrameBytes < 0) {
            throw new IllegalArgumentException("maxFrameBytes must not be negative: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * A decoder over the whole of {@code frame}, with the default maximum frame size.
     *
     * @throws ProtocolException if the frame is larger than the default maximum
     */
    public static Decoder of(byte[] frame) throws ProtocolException {
        return new Decoder().reset(frame, 0, frame.length);
    }

    /**
     * Points this decoder at {@code len} bytes of {@code buf} from {@code off}, and returns it.
     *
     * @throws ProtocolException if {@code len} exceeds the maximum frame size
     * @throws IndexOutOfBoundsException if the range is not inside {@code buf}
     */
    public Decoder reset(byte[] buf, int off, int len) throws ProtocolException {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len > maxFrameBytes) {
            throw new ProtocolException(
                    "frame of " + len + " bytes exceeds the maximum frame size of " + maxFrameBytes + " bytes");
        }
        this.buf = buf;
        this.start = off;
        this.pos = off;
        this.limit = off + len;
        return this;
    }

    /** The largest frame this decoder accepts. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** The offset of the next byte to read, from the start of the frame. */
    public int position() {
        return pos - start;
    }

    /** The number of bytes left to read in the frame. */
    public int remaining() {
        return limit - pos;
    }

    /** Reads a big-endian {@code int}. */
    public int readInt(String field) throws ProtocolException {
        require(4, field);
        int v = Encoding.getInt(buf, pos);
        pos += 4;
        return v;
    }

    /** Reads a big-endian {@code long}. */
    public long readLong(String field) throws ProtocolException {
        require(8, field);
        long v = Encoding.getLong(buf, pos);
        pos += 8;
        return v;
    }

    /** Reads a one-byte {@code boolean}; any byte but 0 is true, as in jute. */
    public boolean readBool(String field) throws ProtocolException {
        require(1, field);
        return buf[pos++] != 0;
    }

    /** Reads a jute {@code buffer}; length -1 is null. */
    public byte[] readBuffer(String field) throws ProtocolException {
        int len = readLength(field);
        if (len < 0) {
            return null;
        }
        byte[] out = new byte[len];
        System.arraycopy(buf, pos, out, 0, len);
        pos += len;
        return out;
    }

    /** Reads a jute {@code ustring}; length -1 is null. */
    public String readString(String field) throws ProtocolException {
        int len = readLength(field);
        if (len < 0) {
            return null;
        }
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /** Reads a jute {@code vector<ustring>}; count -1 is null. Elements may be null. */
    public List<String> readStrings(String field) throws ProtocolException {
        int n = readCount(field, 4);
        if (n < 0) {
            return null;
        }
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = readString(field);
        }
        return FrozenList.of(out);
    }

    /**
     * Reads a jute vector of records; count -1 is null.
     *
     * @param minElementBytes the fewest bytes one element can take, used to reject a count that
     *     cannot fit in what remains before anything is allocated for it
     */
    public <T> List<T> readList(String field, int minElementBytes, ReplyReader<T> element) throws ProtocolException {
        int n = readCount(field, minElementBytes);
        if (n < 0) {
            return null;
        }
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
            out[i] = element.read(this);
        }
        @SuppressWarnings("unchecked")
        List<T> list = (List<T>) FrozenList.of(out);
        return list;
    }

    private void require(int bytes, String field) throws ProtocolException {
        if (limit - pos < bytes) {
            throw new ProtocolException(field + ": needs " + bytes + " bytes at offset " + position() + " but the "
                    + (limit - start) + "-byte frame has only " + remaining() + " left");
        }
    }

    private int readLength(String field) throws ProtocolException {
        int at = position();
        int len = readInt(field);
        if (len == -1) {
            return -1;
        }
        if (len < -1) {
            throw new ProtocolException(field + ": negative length " + len + " at offset " + at);
        }
        if (len > maxFrameBytes) {
            throw new ProtocolException(field + ": length " + len + " at offset " + at
                    + " exceeds the maximum frame size of " + maxFrameBytes + " bytes");
        }
        if (len > remaining()) {
            throw new ProtocolException(field + ": length " + len + " at offset " + at + " runs past the end of the "
                    + (limit - start) + "-byte frame (" + remaining() + " bytes left)");
        }
        return len;
    }

    private int readCount(String field, int minElementBytes) throws ProtocolException {
        int at = position();
        int n = readInt(field);
        if (n == -1) {
            return -1;
        }
        if (n < -1) {
            throw new ProtocolException(field + ": negative element count " + n + " at offset " + at);
        }
        if (n > remaining() / minElementBytes) {
            throw new ProtocolException(field + ": " + n + " elements at offset " + at + " cannot fit in the "
                    + remaining() + " bytes left in the frame (each takes at least " + minElementBytes + ")");
        }
        return n;
    }
}
