package io.loomzk.protocol;

import java.util.Arrays;

/**
 * A SASL token (jute record kept for completeness; no 3.9 client sends it).
 *
 * <p>Jute record {@code SetSASLRequest}; components in wire order.
 */
public record SetSASLRequest(byte[] token) implements WireRecord {
    @Override
    public int encodedSize() {
        return Encoding.sizeOf(token);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        return Encoding.putBuffer(buf, off, token);
    }

    /**
     * Reads a {@code SetSASLRequest} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static SetSASLRequest read(Decoder in) throws ProtocolException {
        return new SetSASLRequest(in.readBuffer("SetSASLRequest.token"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SetSASLRequest that && Arrays.equals(token, that.token);
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(token);
        return h;
    }

    @Override
    public String toString() {
        return "SetSASLRequest[token=" + Strings.secret(token) + "]";
    }
}
