package io.loomzk.protocol;

import java.util.Arrays;

/**
 * A SASL token from the client (op code {@code sasl}).
 *
 * <p>Jute record {@code GetSASLRequest}; components in wire order.
 */
public record GetSASLRequest(byte[] token) implements Request {
    @Override
    public int encodedSize() {
        return Encoding.sizeOf(token);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        return Encoding.putBuffer(buf, off, token);
    }

    /**
     * Reads a {@code GetSASLRequest} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static GetSASLRequest read(Decoder in) throws ProtocolException {
        return new GetSASLRequest(in.readBuffer("GetSASLRequest.token"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GetSASLRequest that && Arrays.equals(token, that.token);
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(token);
        return h;
    }

    @Override
    public String toString() {
        return "GetSASLRequest[token=" + Strings.secret(token) + "]";
    }
}
