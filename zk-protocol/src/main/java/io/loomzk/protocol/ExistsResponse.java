package io.loomzk.protocol;

import java.util.Objects;

/**
 * The reply to an exists on a node that exists: its stat.
 *
 * <p>Jute record {@code ExistsResponse}; components in wire order.
 */
public record ExistsResponse(Stat stat) implements WireRecord {
    /** Checks that nested records are present: jute cannot encode a missing one. */
    public ExistsResponse {
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
     * Reads a {@code ExistsResponse} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static ExistsResponse read(Decoder in) throws ProtocolException {
        return new ExistsResponse(Stat.read(in));
    }
}
