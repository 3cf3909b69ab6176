package io.loomzk.client;

import io.loomzk.protocol.ACL;
import io.loomzk.protocol.CreateMode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to create a node: its {@link CreateMode}, its ACL (default {@link Acls#OPEN_UNSAFE}) and,
 * for TTL modes, its time to live. Immutable; start from a factory and refine with
 * {@link #withAcl}.
 *
 * <p>TTL nodes need a server started with {@code zookeeper.extendedTypesEnabled=true}; other
 * servers answer {@link ZkException.Unimplemented}.
 *
 * @param mode the node's lifetime and naming
 * @param acl the node's access-control list; not empty
 * @param ttlMillis the time to live for TTL modes (1 ms to 2^40 ms), otherwise 0
 */
public record CreateOptions(CreateMode mode, List<ACL> acl, long ttlMillis) {
    private static final long MAX_TTL_MILLIS = (1L << 40) - 1; // the server's limit (EphemeralType)

    /** Checks the options are consistent. */
    public CreateOptions {
        Objects.requireNonNull(mode, "mode");
        acl = List.copyOf(acl);
        if (acl.isEmpty()) {
            throw new IllegalArgumentException("an ACL needs at least one entry");
        }
        if (mode.isTtl()) {
            if (ttlMillis <= 0 || ttlMillis > MAX_TTL_MILLIS) {
                throw new IllegalArgumentException(
                        "TTL must be between 1 ms and " + MAX_TTL_MILLIS + " ms: " + ttlMillis);
            }
        } else if (ttlMillis != 0) {
            throw new IllegalArgumentException(mode + " nodes have no TTL");
        }
    }

    /** A node that stays until deleted. */
    public static CreateOptions persistent() {
        return new CreateOptions(CreateMode.PERSISTENT, Acls.OPEN_UNSAFE, 0);
    }

    /** A persistent node whose name gets a 10-digit sequence number appended. */
    public static CreateOptions persistentSequential() {
        return new CreateOptions(CreateMode.PERSISTENT_SEQUENTIAL, Acls.OPEN_UNSAFE, 0);
    }

    /** A node deleted when the creating session ends. */
    public static CreateOptions ephemeral() {
        return new CreateOptions(CreateMode.EPHEMERAL, Acls.OPEN_UNSAFE, 0);
    }

    /** An ephemeral node whose name gets a sequence number: locks, elections, queues. */
    public static CreateOptions ephemeralSequential() {
        return new CreateOptions(CreateMode.EPHEMERAL_SEQUENTIAL, Acls.OPEN_UNSAFE, 0);
    }

    /** A container: deleted by the server once it has had children and has none left. */
    public static CreateOptions container() {
        return new CreateOptions(CreateMode.CONTAINER, Acls.OPEN_UNSAFE, 0);
    }

    /**
     * A persistent node deleted by the server when it has no children and no change for {@code ttl}.
     *
     * @throws IllegalArgumentException unless {@code ttl} is between 1 ms and 2^40 - 1 ms (whole
     *     milliseconds count)
     */
    public static CreateOptions ttl(Duration ttl) {
        return new CreateOptions(CreateMode.PERSISTENT_WITH_TTL, Acls.OPEN_UNSAFE, ttlMillis(ttl));
    }

    /**
     * A sequential node with a time to live.
     *
     * @throws IllegalArgumentException unless {@code ttl} is between 1 ms and 2^40 - 1 ms
     */
    public static CreateOptions sequentialTtl(Duration ttl) {
        return new CreateOptions(CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, Acls.OPEN_UNSAFE, ttlMillis(ttl));
    }

    /** {@code ttl} in whole milliseconds, checked before converting: a huge one would overflow a long. */
    private static long ttlMillis(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.compareTo(Duration.ofMillis(MAX_TTL_MILLIS + 1)) >= 0) {
            throw new IllegalArgumentException("TTL must be between 1 ms and " + MAX_TTL_MILLIS + " ms: " + ttl);
        }
        return ttl.toMillis(); // 0 for less than a millisecond: the constructor refuses it
    }

    /** These options with another ACL. */
    public CreateOptions withAcl(List<ACL> acl) {
        return new CreateOptions(mode, acl, ttlMillis);
    }
}
