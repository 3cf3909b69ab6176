package io.loomzk.protocol;

import java.util.Arrays;

/**
 * The first frame a client sends on a connection, without a {@link RequestHeader}: resume session
 * {@code sessionId} (0 for a new one) with its password, having seen up to {@code lastZxidSeen}.
 *
 * <p>Jute record {@code ConnectRequest}; components in wire order. {@code readOnly} asks to be
 * served by a read-only server; servers before 3.4 neither send nor expect it, so it is decoded
 * as {@code false} when the frame ends before it. The password never prints.
 */
public record ConnectRequest(
        int protocolVersion, long lastZxidSeen, int timeOut, long sessionId, byte[] passwd, boolean readOnly)
        implements WireRecord {

    @Override
    public int encodedSize() {
        return 4 + 8 + 4 + 8 + Encoding.sizeOf(passwd) + 1;
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putInt(buf, off, protocolVersion);
        off = Encoding.putLong(buf, off, lastZxidSeen);
        off = Encoding.putInt(buf, off, timeOut);
        off = Encoding.putLong(buf, off, sessionId);
        off = Encoding.putBuffer(buf, off, passwd);
        return Encoding.putBool(buf, off, readOnly);
    }

    /**
     * Reads a {@code ConnectRequest}; a frame that ends before {@code readOnly} means false.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static ConnectRequest read(Decoder in) throws ProtocolException {
        int protocolVersion = in.readInt("ConnectRequest.protocolVersion");
        long lastZxidSeen = in.readLong("ConnectRequest.lastZxidSeen");
        int timeOut = in.readInt("ConnectRequest.timeOut");
        long sessionId = in.readLong("ConnectRequest.sessionId");
        byte[] passwd = in.readBuffer("ConnectRequest.passwd");
        boolean readOnly = in.remaining() > 0 && in.readBool("ConnectRequest.readOnly");
        return new ConnectRequest(protocolVersion, lastZxidSeen, timeOut, sessionId, passwd, readOnly);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectRequest that
                && protocolVersion == that.protocolVersion
                && lastZxidSeen == that.lastZxidSeen
                && timeOut == that.timeOut
                && sessionId == that.sessionId
                && Arrays.equals(passwd, that.passwd)
                && readOnly == that.readOnly;
    }

    @Override
    public int hashCode() {
        int h = Integer.hashCode(protocolVersion);
        h = 31 * h + Long.hashCode(lastZxidSeen);
        h = 31 * h + Integer.hashCode(timeOut);
        h = 31 * h + Long.hashCode(sessionId);
        h = 31 * h + Arrays.hashCode(passwd);
        return 31 * h + Boolean.hashCode(readOnly);
    }

    @Override
    public String toString() {
        return "ConnectRequest[protocolVersion=" + protocolVersion + ", lastZxidSeen=0x"
                + Long.toHexString(lastZxidSeen) + ", timeOut=" + timeOut + ", sessionId=0x"
                + Long.toHexString(sessionId) + ", passwd=" + Strings.secret(passwd) + ", readOnly=" + readOnly + "]";
    }
}
