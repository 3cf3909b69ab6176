package io.loomzk.recipes;

import io.loomzk.protocol.Stat;
import java.util.Objects;

/**
 * One node as a {@link TreeCache} holds it: a state the server had, as one read returned it.
 *
 * <p>The stat is kept as plain fields rather than a {@link Stat} object (16 bytes less per cached
 * node); {@link #stat()} builds one on each call.
 *
 * @param <V> the decoded value's type ({@code byte[]} without a decoder)
 */
public final class CachedNode<V> {
    private final String path;
    private final V value;
    private final long czxid;
    private final long mzxid;
    private final long ctime;
    private final long mtime;
    private final long ephemeralOwner;
    private final long pzxid;
    private final int version;
    private final int cversion;
    private final int aversion;
    private final int dataLength;
    private final int numChildren;

    /**
     * @param path the node's path, relative to the client's chroot
     * @param stat the node's stat from that read
     * @param value the node's value as the cache's decoder returned it; null when the cache keeps
     *     stats only, or when the decoder failed on this node's data
     */
    public CachedNode(String path, Stat stat, V value) {
        this.path = Objects.requireNonNull(path, "path");
        Objects.requireNonNull(stat, "stat");
        this.value = value;
        this.czxid = stat.czxid();
        this.mzxid = stat.mzxid();
        this.ctime = stat.ctime();
        this.mtime = stat.mtime();
        this.ephemeralOwner = stat.ephemeralOwner();
        this.pzxid = stat.pzxid();
        this.version = stat.version();
        this.cversion = stat.cversion();
        this.aversion = stat.aversion();
        this.dataLength = stat.dataLength();
        this.numChildren = stat.numChildren();
    }

    /** The node's path, relative to the client's chroot. */
    public String path() {
        return path;
    }

    /** The node's value; null when the cache keeps stats only or the decoder failed. */
    public V value() {
        return value;
    }

    /** The node's stat from the read the cache holds (a new object on each call). */
    public Stat stat() {
        return new Stat(
                czxid,
                mzxid,
                ctime,
                mtime,
                version,
                cversion,
                aversion,
                ephemeralOwner,
                dataLength,
                numChildren,
                pzxid);
    }

    /** The transaction that created the node. */
    public long czxid() {
        return czxid;
    }

    /** The transaction that last changed the node's data. */
    public long mzxid() {
        return mzxid;
    }

    /** The last transaction that changed the node's children, as of the read. */
    public long pzxid() {
        return pzxid;
    }

    /** The node's data length in bytes (before any decoding). */
    public int dataLength() {
        return dataLength;
    }

    /** The data version. */
    public int version() {
        return version;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CachedNode<?> that
                && path.equals(that.path)
                && stat().equals(that.stat())
                && (value instanceof byte[] a && that.value instanceof byte[] b
                        ? java.util.Arrays.equals(a, b)
                        : Objects.equals(value, that.value));
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, czxid, mzxid);
    }

    @Override
    public String toString() {
        String shown = value instanceof byte[] b ? b.length + " bytes" : value == null ? "none" : "decoded";
        return "CachedNode[" + path + ", mzxid 0x" + Long.toHexString(mzxid) + ", value " + shown + "]";
    }
}
