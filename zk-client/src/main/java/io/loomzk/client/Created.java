package io.loomzk.client;

import io.loomzk.protocol.Stat;

/**
 * The result of a create.
 *
 * @param path the created node's path, relative to the chroot, with the sequence suffix the
 *     server appended to sequential nodes
 * @param stat the new node's stat
 */
public record Created(String path, Stat stat) {}
