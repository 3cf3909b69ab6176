package io.loomzk.client;

import io.loomzk.protocol.EventType;

/**
 * What happened to a watched node.
 *
 * @param type what happened: created, deleted, data changed, children changed, or the watch was
 *     removed
 * @param path the node's path, relative to the client's chroot
 * @param zxid the transaction that caused the event, or -1 when the server does not say (servers
 *     before 3.9, and removals)
 */
public record WatchedEvent(EventType type, String path, long zxid) {}
