package io.loomzk.recipes;

import java.util.Objects;

/**
 * A guarded write was refused because its lease is no longer valid: either locally, before
 * anything was sent, or by the ensemble, whose {@code check} on the lease's node failed. Nothing of
 * the write was applied.
 */
public final class LeaseLostException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final transient LeaseLoss reason;
    private final transient String node;

    LeaseLostException(String node, LeaseLoss reason, Throwable cause) {
        super("lease on " + node + " is lost (" + reason + "); nothing was written", cause);
        this.node = Objects.requireNonNull(node);
        this.reason = Objects.requireNonNull(reason);
    }

    /** Why the lease was lost. */
    public LeaseLoss reason() {
        return reason;
    }

    /** The lease's node (chroot-relative path). */
    public String node() {
        return node;
    }
}
