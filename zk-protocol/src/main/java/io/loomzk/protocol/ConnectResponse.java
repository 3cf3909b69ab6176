package io.loomzk.protocol;

import java.util.Arrays;

/**
 * The server's answer to a {@link ConnectRequest}, without a {@link ReplyHeader}: the negotiated
 * session timeout in milliseconds, the session id and password (a timeout of 0 or below means the
 * session is expired or was refused), and whether this server is read-only.
 *
 * <p>Jute record {@code ConnectResponse}; components in wire order. Servers that predate
 * read-only mode end the frame before {@code readOnly}; it then decodes as {@code false}. The
 * password never prints.
 */
public record ConnectResponse(int protocolVersion, int timeOut, long sessionId, byte[] passwd, boolean readOnly)
        implements WireRecord {

    @Override
    public int encodedSize() {
        return 4 + 4 + 8 + Encoding.sizeOf(passwd) + 1;
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putInt(buf, off, protocolVersion);
        off = Encoding.putInt(buf, off, timeOut);
        off = Encoding.putLong(buf, off, sessionId);
        off = Encoding.putBuffer(buf, off, passwd);
        return Encoding.putBool(buf, off, readOnly);
    }

    /**
     * Reads a {@code ConnectResponse}; a frame that ends before {@code readOnly} means false.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static ConnectResponse read(Decoder in) throws ProtocolException {
        int protocolVersion = in.readInt("ConnectResponse.protocolVersion");
        int timeOut = in.readInt("ConnectResponse.timeOut");
        long sessionId = in.readLong("ConnectResponse.sessionId");
        byte[] passwd = in.readBuffer("ConnectResponse.passwd");
        boolean readOnly = in.remaining() > 0 && in.readBool("ConnectResponse.readOnly");
        return new ConnectResponse(protocolVersion, timeOut, sessionId, passwd, readOnly);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectResponse that
                && protocolVersion == that.protocolVersion
                && timeOut == that.timeOut
                && sessionId == that.sessionId
                && Arrays.equals(passwd, that.passwd)
                && readOnly == that.readOnly;
    }

    @Override
    public int hashCode() {
        int h = Integer.hashCode(protocolVersion);
        h = 31 * h + Integer.hashCode(timeOut);
        h = 31 * h + Long.hashCode(sessionId);
        h = 31 * h + Arrays.hashCode(passwd);
        return 31 * h + Boolean.hashCode(readOnly);
    }

    @Override
    public String toString() {
        return "ConnectResponse[protocolVersion=" + protocolVersion + ", timeOut=" + timeOut + ", sessionId=0x"
                + Long.toHexString(sessionId) + ", passwd=" + Strings.secret(passwd) + ", readOnly=" + readOnly + "]";
    }
}
