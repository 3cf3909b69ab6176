package io.loomzk.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Creates a node. Sent as {@link OpCode#CREATE}, {@link OpCode#CREATE2} (reply with stat) or {@link OpCode#CREATE_CONTAINER}; {@code flags} is a {@link CreateMode} flag.
 *
 * <p>Jute record {@code CreateRequest}; components in wire order.
 */
public record CreateRequest(String path, byte[] data, List<ACL> acl, int flags) implements Request {
    @Override
    public int encodedSize() {
        return 4 + Encoding.sizeOf(path) + Encoding.sizeOf(data) + Encoding.sizeOfRecords(acl);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putString(buf, off, path);
        off = Encoding.putBuffer(buf, off, data);
        off = Encoding.putRecords(buf, off, acl);
        return Encoding.putInt(buf, off, flags);
    }

    /**
     * Reads a {@code CreateRequest} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static CreateRequest read(Decoder in) throws ProtocolException {
        return new CreateRequest(
                in.readString("CreateRequest.path"),
                in.readBuffer("CreateRequest.data"),
                in.readList("CreateRequest.acl", 12, ACL::read),
                in.readInt("CreateRequest.flags"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CreateRequest that
                && Objects.equals(path, that.path)
                && Arrays.equals(data, that.data)
                && Objects.equals(acl, that.acl)
                && flags == that.flags;
    }

    @Override
    public int hashCode() {
        int h = Objects.hashCode(path);
        h = 31 * h + Arrays.hashCode(data);
        h = 31 * h + Objects.hashCode(acl);
        h = 31 * h + Integer.hashCode(flags);
        return h;
    }

    @Override
    public String toString() {
        return "CreateRequest[path=" + path + ", data=" + Strings.length(data) + ", acl=" + acl + ", flags=" + flags
                + "]";
    }
}
