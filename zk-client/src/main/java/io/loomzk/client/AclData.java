package io.loomzk.client;

import io.loomzk.protocol.ACL;
import io.loomzk.protocol.Stat;
import java.util.List;

/**
 * A node's ACL and stat; {@code stat.aversion()} is the version {@link ZkClient#setAcl} checks.
 *
 * @param acl the access-control entries; unmodifiable
 * @param stat the node's stat
 */
public record AclData(List<ACL> acl, Stat stat) {}
