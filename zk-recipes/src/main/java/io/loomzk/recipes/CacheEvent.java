package io.loomzk.recipes;

import java.util.Map;

/**
 * One entry of a {@link TreeCache}'s change stream.
 *
 * @param type what happened
 * @param path the node's path (the cache's root for {@link Type#INITIALIZED} and
 *     {@link Type#OVERFLOW})
 * @param oldNode the node before the change; null for {@link Type#CREATED} and the markers
 * @param newNode the node after the change; null for {@link Type#DELETED} and the markers
 * @param zxid the transaction of the change: the creating one for {@code CREATED}, the last
 *     modifying one for {@code CHANGED}; -1 for {@code DELETED} (a read cannot tell when a node
 *     went) and for the markers
 * @param snapshot for {@link Type#OVERFLOW} only: the whole cached tree at the moment the stream
 *     resumed, so that the events that follow apply to it exactly; empty otherwise
 * @param <V> the cache's value type
 */
public record CacheEvent<V>(
        Type type,
        String path,
        CachedNode<V> oldNode,
        CachedNode<V> newNode,
        long zxid,
        Map<String, CachedNode<V>> snapshot) {

    /** The kinds of entries. */
    public enum Type {
        /** A node appeared (created on the server, or found by a re-read after a reconnect). */
        CREATED,
        /** A node's data changed (its {@code mzxid} grew). */
        CHANGED,
        /** A node is gone. */
        DELETED,
        /** The initial load finished: {@link TreeCache#snapshot()} now shows the whole tree. */
        INITIALIZED,
        /**
         * The consumer fell behind the bounded backlog: buffered events were dropped; the
         * {@link CacheEvent#snapshot()} of this entry is the tree to continue from.
         */
        OVERFLOW
    }

    static <V> CacheEvent<V> change(Type type, String path, CachedNode<V> oldNode, CachedNode<V> newNode, long zxid) {
        return new CacheEvent<>(type, path, oldNode, newNode, zxid, Map.of());
    }

    @Override
    public String toString() {
        return "CacheEvent[" + type + " " + path + (zxid >= 0 ? " zxid 0x" + Long.toHexString(zxid) : "") + "]";
    }
}
