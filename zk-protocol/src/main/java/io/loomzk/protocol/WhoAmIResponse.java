package io.loomzk.protocol;

import java.util.List;

/**
 * The reply to a who-am-I: the session's authenticated identities.
 *
 * <p>Jute record {@code WhoAmIResponse}; components in wire order.
 */
public record WhoAmIResponse(List<ClientInfo> clientInfo) implements WireRecord {
    @Override
    public int encodedSize() {
        return Encoding.sizeOfRecords(clientInfo);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        return Encoding.putRecords(buf, off, clientInfo);
    }

    /**
     * Reads a {@code WhoAmIResponse} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static WhoAmIResponse read(Decoder in) throws ProtocolException {
        return new WhoAmIResponse(in.readList("WhoAmIResponse.clientInfo", 8, ClientInfo::read));
    }
}
