package io.loomzk.protocol;

import java.util.Objects;

/**
 * The reply to a set-ACL: the node's new stat.
 *
 * <p>Jute record {@code SetACLResponse}; components in wire order.
 */
public record SetACLResponse(Stat stat) implements WireRecord {
    /** Checks that nested records are present: jute cannot encode a missing one. */
    public SetACLResponse {
        Objects.requireNonNull(stat, "stat");
    }

    @Override
    public int encodedSize() {
        return Stat.SIZE;
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        return stat.writeTo(buf, off);
    }

    /**
     * Reads a {@code SetACLResponse} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static SetACLResponse read(Decoder in) throws ProtocolException {
        return new SetACLResponse(Stat.read(in));
    }
}
