package io.loomzk.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * Adds an authentication to the session ({@code addauth}). Sent with xid {@link Xids#AUTH}; {@code type} is 0.
 *
 * <p>Jute record {@code AuthPacket}; components in wire order.
 */
public record AuthPacket(int type, String scheme, byte[] auth) implements Request {
    @Override
    public int encodedSize() {
        return 4 + Encoding.sizeOf(scheme) + Encoding.sizeOf(auth);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putInt(buf, off, type);
        off = Encoding.putString(buf, off, scheme);
        return Encoding.putBuffer(buf, off, auth);
    }

    /**
     * Reads a {@code AuthPacket} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static AuthPacket read(Decoder in) throws ProtocolException {
        return new AuthPacket(
                in.readInt("AuthPacket.type"), in.readString("AuthPacket.scheme"), in.readBuffer("AuthPacket.auth"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthPacket that
                && type == that.type
                && Objects.equals(scheme, that.scheme)
                && Arrays.equals(auth, that.auth);
    }

    @Override
    public int hashCode() {
        int h = Integer.hashCode(type);
        h = 31 * h + Objects.hashCode(scheme);
        h = 31 * h + Arrays.hashCode(auth);
        return h;
    }

    @Override
    public String toString() {
        return "AuthPacket[type=" + type + ", scheme=" + scheme + ", auth=" + Strings.secret(auth) + "]";
    }
}
