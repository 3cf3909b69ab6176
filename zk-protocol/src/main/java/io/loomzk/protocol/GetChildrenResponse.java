package io.loomzk.protocol;

import java.util.List;

/**
 * The reply to a get-children: the children's names.
 *
 * <p>Jute record {@code GetChildrenResponse}; components in wire order.
 */
public record GetChildrenResponse(List<String> children) implements WireRecord {
    @Override
    public int encodedSize() {
        return Encoding.sizeOfStrings(children);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        return Encoding.putStrings(buf, off, children);
    }

    /**
     * Reads a {@code GetChildrenResponse} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static GetChildrenResponse read(Decoder in) throws ProtocolException {
        return new GetChildrenResponse(in.readStrings("GetChildrenResponse.children"));
    }
}
