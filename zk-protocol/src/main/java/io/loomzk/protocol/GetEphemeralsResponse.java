package io.loomzk.protocol;

import java.util.List;

/**
 * The reply to a get-ephemerals: the paths.
 *
 * <p>Jute record {@code GetEphemeralsResponse}; components in wire order.
 */
public record GetEphemeralsResponse(List<String> ephemerals) implements WireRecord {
    @Override
    public int encodedSize() {
        return Encoding.sizeOfStrings(ephemerals);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        return Encoding.putStrings(buf, off, ephemerals);
    }

    /**
     * Reads a {@code GetEphemeralsResponse} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static GetEphemeralsResponse read(Decoder in) throws ProtocolException {
        return new GetEphemeralsResponse(in.readStrings("GetEphemeralsResponse.ephemerals"));
    }
}
