package io.loomzk.protocol;

import java.util.List;
import java.util.Objects;

/**
 * The reply to a get-ACL: the ACL and the stat.
 *
 * <p>Jute record {@code GetACLResponse}; components in wire order.
 */
public record GetACLResponse(List<ACL> acl, Stat stat) implements WireRecord {
    /** Checks that nested records are present: jute cannot encode a missing one. */
    public GetACLResponse {
        Objects.requireNonNull(stat, "stat");
    }

    @Override
    public int encodedSize() {
        return Encoding.sizeOfRecords(acl) + Stat.SIZE;
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putRecords(buf, off, acl);
        return stat.writeTo(buf, off);
    }

    /**
     * Reads a {@code GetACLResponse} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static GetACLResponse read(Decoder in) throws ProtocolException {
        return new GetACLResponse(in.readList("GetACLResponse.acl", 12, ACL::read), Stat.read(in));
    }
}
