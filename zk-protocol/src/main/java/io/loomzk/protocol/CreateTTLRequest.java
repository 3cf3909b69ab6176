package io.loomzk.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Creates a node with a time to live, in milliseconds. Sent as {@link OpCode#CREATE_TTL}.
 *
 * <p>Jute record {@code CreateTTLRequest}; components in wire order.
 */
public record CreateTTLRequest(String path, byte[] data, List<ACL> acl, int flags, long ttl) implements Request {
    @Override
    public int encodedSize() {
        return 12 + Encoding.sizeOf(path) + Encoding.sizeOf(data) + Encoding.sizeOfRecords(acl);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putString(buf, off, path);
        off = Encoding.putBuffer(buf, off, data);
        off = Encoding.putRecords(buf, off, acl);
        off = Encoding.putInt(buf, off, flags);
        return Encoding.putLong(buf, off, ttl);
    }

    /**
     * Reads a {@code CreateTTLRequest} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static CreateTTLRequest read(Decoder in) throws ProtocolException {
        return new CreateTTLRequest(
                in.readString("CreateTTLRequest.path"),
                in.readBuffer("CreateTTLRequest.data"),
                in.readList("CreateTTLRequest.acl", 12, ACL::read),
                in.readInt("CreateTTLRequest.flags"),
                in.readLong("CreateTTLRequest.ttl"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CreateTTLRequest that
                && Objects.equals(path, that.path)
                && Arrays.equals(data, that.data)
                && Objects.equals(acl, that.acl)
                && flags == that.flags
                && ttl == that.ttl;
    }

    @Override
    public int hashCode() {
        int h = Objects.hashCode(path);
        h = 31 * h + Arrays.hashCode(data);
        h = 31 * h + Objects.hashCode(acl);
        h = 31 * h + Integer.hashCode(flags);
        h = 31 * h + Long.hashCode(ttl);
        return h;
    }

    @Override
    public String toString() {
        return "CreateTTLRequest[path=" + path + ", data=" + Strings.length(data) + ", acl=" + acl + ", flags=" + flags
                + ", ttl=" + ttl + "]";
    }
}
