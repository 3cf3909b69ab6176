package io.loomzk.protocol;

import java.util.Objects;

/**
 * The reply to a set-data: the node's new stat.
 *
 * <p>Jute record {@code SetDataResponse}; components in wire order.
 */
public record SetDataResponse(Stat stat) implements WireRecord {
    /** Checks that nested records are present: jute cannot encode a missing one. */
    public SetDataResponse {
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
     * Reads a {@code SetDataResponse} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static SetDataResponse read(Decoder in) throws ProtocolException {
        return new SetDataResponse(Stat.read(in));
    }
}
