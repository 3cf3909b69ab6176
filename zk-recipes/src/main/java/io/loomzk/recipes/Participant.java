package io.loomzk.recipes;

/**
 * A participant of a {@link LeaderElection}, as observers see it.
 *
 * @param id the participant id stored in its node (UTF-8), as LoomZK and Curator's
 *     {@code LeaderLatch} write it
 * @param node its node's path (chroot-relative)
 * @param isLeader whether it is first in line: the leader, or about to learn that it is
 */
public record Participant(String id, String node, boolean isLeader) {}
