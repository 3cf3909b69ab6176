package io.loomzk.client;

import io.loomzk.protocol.Stat;
import java.util.Arrays;
import java.util.Objects;

/**
 * A node's data and stat, as one read returned them.
 *
 * @param data the data; empty, never null (ZooKeeper's null data reads as empty)
 * @param stat the stat at the time of the read
 */
public record NodeData(byte[] data, Stat stat) {
    private static final byte[] EMPTY = new byte[0];

    /** Normalises null data to empty. */
    public NodeData {
        data = data == null ? EMPTY : data;
        Objects.requireNonNull(stat, "stat");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeData that && Arrays.equals(data, that.data) && stat.equals(that.stat);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(data) + stat.hashCode();
    }

    @Override
    public String toString() {
        return "NodeData[data=" + data.length + " bytes, stat=" + stat + "]";
    }
}
