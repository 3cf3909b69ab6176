package io.loomzk.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Jute's binary encoding, written straight into byte arrays: big-endian {@code int} and
 * {@code long}, one byte per {@code boolean}, and a 4-byte length before every string, buffer and
 * vector ({@code -1} for null).
 *
 * <p>Strings are encoded exactly as Apache jute's {@code BinaryOutputArchive} encodes them: each
 * UTF-16 {@code char} on its own, in one to three bytes. For text without surrogates that is
 * UTF-8; a supplementary character (two surrogate chars) becomes six bytes (CESU-8 style), which
 * jute's reader, and so the server, decodes as replacement characters. ZooKeeper paths cannot
 * contain surrogates, so this only matters for other strings; it is mirrored for byte-exactness.
 *
 * <p>Every {@code put} method writes at an offset and returns the offset just past what it wrote;
 * every {@code sizeOf} method returns exactly how many bytes the matching {@code put} writes.
 */
public final class Encoding {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Encoding() {}

    /** Writes a big-endian {@code int}. */
    public static int putInt(byte[] buf, int off, int value) {
        INT.set(buf, off, value);
        return off + 4;
    }

    /** Writes a big-endian {@code long}. */
    public static int putLong(byte[] buf, int off, long value) {
        LONG.set(buf, off, value);
        return off + 8;
    }

    /** Writes a {@code boolean} as one byte, 1 or 0. */
    public static int putBool(byte[] buf, int off, boolean value) {
        buf[off] = value ? (byte) 1 : (byte) 0;
        return off + 1;
    }

    /** Writes a jute {@code buffer}: its length, then its bytes; null is length -1. */
    public static int putBuffer(byte[] buf, int off, byte[] value) {
        if (value == null) {
            return putInt(buf, off, -1);
        }
        off = putInt(buf, off, value.length);
        System.arraycopy(value, 0, buf, off, value.length);
        return off + value.length;
    }

    /** Writes a jute {@code ustring}: its encoded length, then its bytes; null is length -1. */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): see below
    public static int putString(byte[] buf, int off, String value) {
        if (value == null) {
            return putInt(buf, off, -1);
        }
        int n = value.length();
        if (isAscii(value, n)) {
            // Every char is below 0x80, so the low byte of each (what this deprecated method
            // copies, with an array copy for a compact string) is exactly its encoding.
            value.getBytes(0, n, buf, off + 4);
            INT.set(buf, off, n);
            return off + 4 + n;
        }
        int p = off + 4;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                buf[p++] = (byte) c;
            } else if (c < 0x800) {
                buf[p++] = (byte) (0xC0 | (c >> 6));
                buf[p++] = (byte) (0x80 | (c & 0x3F));
            } else {
                buf[p++] = (byte) (0xE0 | (c >> 12));
                buf[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        INT.set(buf, off, p - off - 4);
        return p;
    }

    /** Writes a jute {@code vector<ustring>}: the count, then each string; null is count -1. */
    public static int putStrings(byte[] buf, int off, List<String> values) {
        if (values == null) {
            return putInt(buf, off, -1);
        }
        off = putInt(buf, off, values.size());
        for (int i = 0, n = values.size(); i < n; i++) {
            off = putString(buf, off, values.get(i));
        }
        return off;
    }

    /** Writes a jute vector of records: the count, then each record; null is count -1. */
    public static int putRecords(byte[] buf, int off, List<? extends WireRecord> values) {
        if (values == null) {
            return putInt(buf, off, -1);
        }
        off = putInt(buf, off, values.size());
        for (int i = 0, n = values.size(); i < n; i++) {
            off = values.get(i).writeTo(buf, off);
        }
        return off;
    }

    /** Whether the first {@code n} chars of {@code value} are all below 0x80 (one byte each). */
    private static boolean isAscii(String value, int n) {
        int any = 0;
        for (int i = 0; i < n; i++) {
            any |= value.charAt(i);
        }
        return any < 0x80;
    }

    /** The number of bytes jute uses for the characters of {@code value}, without the length. */
    public static int stringBytes(String value) {
        int n = value.length();
        if (isAscii(value, n)) {
            return n;
        }
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                bytes += c < 0x800 ? 1 : 2;
            }
        }
        return bytes;
    }

    /** The encoded size of a {@code ustring}, length included. */
    public static int sizeOf(String value) {
        return value == null ? 4 : 4 + stringBytes(value);
    }

    /**
     * The encoded size of a {@code ustring} if it is ASCII, length included: a lower bound of
     * {@link #sizeOf(String)}, found without reading the characters.
     */
    static int asciiSizeOf(String value) {
        return value == null ? 4 : 4 + value.length();
    }

    /** The encoded size of a {@code buffer}, length included. */
    public static int sizeOf(byte[] value) {
        return value == null ? 4 : 4 + value.length;
    }

    /** The encoded size of a {@code vector<ustring>}, count included. */
    public static int sizeOfStrings(List<String> values) {
        if (values == null) {
            return 4;
        }
        int size = 4;
        for (int i = 0, n = values.size(); i < n; i++) {
            size += sizeOf(values.get(i));
        }
        return size;
    }

    /** The encoded size of a vector of records, count included. */
    public static int sizeOfRecords(List<? extends WireRecord> values) {
        if (values == null) {
            return 4;
        }
        int size = 4;
        for (int i = 0, n = values.size(); i < n; i++) {
            size += values.get(i).encodedSize();
        }
        return size;
    }

    /** Reads a big-endian {@code int} at {@code off}. */
    public static int getInt(byte[] buf, int off) {
        return (int) INT.get(buf, off);
    }

    /** Reads a big-endian {@code long} at {@code off}. */
    public static long getLong(byte[] buf, int off) {
        return (long) LONG.get(buf, off);
    }

    /** Fails loudly if a record wrote a different number of bytes than it said it would. */
    static void checkWritten(Object record, int end, int expectedEnd) {
        if (end != expectedEnd) {
            throw new IllegalStateException(record.getClass().getSimpleName() + " wrote " + end
                    + " bytes where its encoded size says " + expectedEnd + ": it changed while being written");
        }
    }
}
