package io.loomzk.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * Replaces a node's data if its version matches ({@code -1}: any version).
 *
 * <p>Jute record {@code SetDataRequest}; components in wire order.
 */
public record SetDataRequest(String path, byte[] data, int version) implements Request {
    @Override
    public int encodedSize() {
        return 4 + Encoding.sizeOf(path) + Encoding.sizeOf(data);
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putString(buf, off, path);
        off = Encoding.putBuffer(buf, off, data);
        return Encoding.putInt(buf, off, version);
    }

    /**
     * Reads a {@code SetDataRequest} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static SetDataRequest read(Decoder in) throws ProtocolException {
        return new SetDataRequest(
                in.readString("SetDataRequest.path"),
                in.readBuffer("SetDataRequest.data"),
                in.readInt("SetDataRequest.version"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SetDataRequest that
                && Objects.equals(path, that.path)
                && Arrays.equals(data, that.data)
                && version == that.version;
    }

    @Override
    public int hashCode() {
        int h = Objects.hashCode(path);
        h = 31 * h + Arrays.hashCode(data);
        h = 31 * h + Integer.hashCode(version);
        return h;
    }

    @Override
    public String toString() {
        return "SetDataRequest[path=" + path + ", data=" + Strings.length(data) + ", version=" + version + "]";
    }
}
