package io.loomzk.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * The reply to a get-data: the data and the stat.
 *
 * <p>Jute record {@code GetDataResponse}; components in wire order.
 */
public record GetDataResponse(byte[] data, Stat stat) implements WireRecord {
    /** Checks that nested records are present: jute cannot encode a missing one. */
    public GetDataResponse {
        Objects.requireNonNull(stat, "stat");
    }

    @Override
    public int encodedSize() {
        return Encoding.sizeOf(data) + Stat.SIZE;
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        off = Encoding.putBuffer(buf, off, data);
        return stat.writeTo(buf, off);
    }

    /**
     * Reads a {@code GetDataResponse} at the decoder's position.
     *
     * @throws ProtocolException if the bytes there are not one
     */
    public static GetDataResponse read(Decoder in) throws ProtocolException {
        return new GetDataResponse(in.readBuffer("GetDataResponse.data"), Stat.read(in));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GetDataResponse that && Arrays.equals(data, that.data) && Objects.equals(stat, that.stat);
    }

    @Override
    public int hashCode() {
        int h = Arrays.hashCode(data);
        h = 31 * h + Objects.hashCode(stat);
        return h;
    }

    @Override
    public String toString() {
        return "GetDataResponse[data=" + Strings.length(data) + ", stat=" + stat + "]";
    }
}
