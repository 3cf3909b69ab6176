package io.loomzk.protocol;

import java.util.Arrays;

/**
 * The server's SASL token in reply to a {@link GetSASLRequest}.
 *
 * <p>Jute record {@code SetSASLResponse}; components in wire order.
 */
public record SetSASLResponse(byte[] token) implements WireRecord {
    @Override
    public int encodedSize() {
        return Encoding.sizeOf(token);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        return Encoding.putBuffer(buf, off, token);
    }

    /**
     * Reads a {@code SetSASLResponse} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static SetSASLResponse read(Decoder in) throws ProtocolException {
        return new SetSASLResponse(in.readBuffer("SetSASLResponse.token"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SetSASLResponse that && Arrays.equals(token, that.token);
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(token);
        return h;
    }

    @Override
    public String toString() {
        return "SetSASLResponse[token=" + Strings.secret(token) + "]";
    }
}
