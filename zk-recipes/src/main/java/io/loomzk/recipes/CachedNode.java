package io.loomzk.recipes;

import io.loomzk.protocol.Stat;
import java.util.Objects;

/**
 * One node as a {@link TreeCache} holds it: a state the server had, as one read returned it.
 *
 * @param path the node's path, relative to the client's chroot
 * @param stat the node's stat from that read
 * @param value the node's data as the cache's decoder returned it; null when the cache keeps
 *     stats only, or when the decoder failed on this node's data
 * @param <V> the decoded value's type ({@code byte[]} without a decoder)
 */
public record CachedNode<V>(String path, Stat stat, V value) {
    /** Checks that path and stat are present. */
    public CachedNode {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(stat, "stat");
    }

    @Override
    public String toString() {
        String shown = value instanceof byte[] b ? b.length + " bytes" : value == null ? "none" : "decoded";
        return "CachedNode[" + path + ", mzxid 0x" + Long.toHexString(stat.mzxid()) + ", value " + shown + "]";
    }
}
