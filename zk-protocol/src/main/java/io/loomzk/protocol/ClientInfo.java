package io.loomzk.protocol;

/**
 * One authenticated identity of a session, as a who-am-I reply lists them.
 *
 * <p>Jute record {@code ClientInfo}; components in wire order.
 */
public record ClientInfo(String authScheme, String user) implements WireRecord {
    @Override
    public int encodedSize() {
        return Encoding.sizeOf(authScheme) + Encoding.sizeOf(user);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putString(buf, off, authScheme);
        return Encoding.putString(buf, off, user);
    }

    /**
     * Reads a {@code ClientInfo} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static ClientInfo read(Decoder in) throws ProtocolException {
        return new ClientInfo(in.readString("ClientInfo.authScheme"), in.readString("ClientInfo.user"));
    }
}
