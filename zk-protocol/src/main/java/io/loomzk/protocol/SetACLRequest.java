package io.loomzk.protocol;

import java.util.List;

/**
 * Replaces a node's ACL if its ACL version matches ({@code -1}: any version).
 *
 * <p>Jute record {@code SetACLRequest}; components in wire order.
 */
public record SetACLRequest(String path, List<ACL> acl, int version) implements Request {
    @Override
    public int encodedSize() {
        return 4 + Encoding.sizeOf(path) + Encoding.sizeOfRecords(acl);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putString(buf, off, path);
        off = Encoding.putRecords(buf, off, acl);
        return Encoding.putInt(buf, off, version);
    }

    /**
     * Reads a {@code SetACLRequest} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static SetACLRequest read(Decoder in) throws ProtocolException {
        return new SetACLRequest(
                in.readString("SetACLRequest.path"),
                in.readList("SetACLRequest.acl", 12, ACL::read),
                in.readInt("SetACLRequest.version"));
    }
}
