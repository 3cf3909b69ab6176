package io.loomzk.protocol;

import java.util.Objects;

/**
 * One access-control entry: permission bits (see {@link Perms}) granted to an {@link Id}.
 *
 * <p>Jute record {@code ACL}; components in wire order.
 */
public record ACL(int perms, Id id) implements WireRecord {
    /** Checks that nested records are present: jute cannot encode a missing one. */
    public ACL {
        Objects.requireNonNull(id, "id");
    }

    @Override
    public int encodedSize() {
        return 4 + id.encodedSize();
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putInt(buf, off, perms);
        return id.writeTo(buf, off);
    }

    /**
     * Reads a {@code ACL} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static ACL read(Decoder in) throws ProtocolException {
        return new ACL(in.readInt("ACL.perms"), Id.read(in));
    }
}
