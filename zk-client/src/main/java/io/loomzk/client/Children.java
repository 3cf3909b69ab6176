package io.loomzk.client;

import io.loomzk.protocol.Stat;
import java.util.List;

/**
 * A node's children and its stat, as one read returned them.
 *
 * @param names the children's names (not paths), in the server's order; unmodifiable
 * @param stat the parent's stat at the time of the read
 */
public record Children(List<String> names, Stat stat) {}
