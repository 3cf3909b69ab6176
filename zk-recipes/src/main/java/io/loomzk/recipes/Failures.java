package io.loomzk.recipes;

import io.loomzk.client.ZkException;

/** How recipes classify client failures. */
final class Failures {
    private Failures() {}

    /**
     * Whether a call can simply be made again: the connection dropped or was too slow, the
     * session moved, or the server is read-only for now. The session is still alive.
     */
    static boolean isTransient(ZkException e) {
        return e instanceof ZkException.ConnectionLoss
                || e instanceof ZkException.RequestTimeout
                || e instanceof ZkException.SessionMoved
                || e instanceof ZkException.NotReadOnly;
    }

    /** An {@link InterruptedException} for a client call that was interrupted; clears the flag. */
    static InterruptedException interrupted(String what, ZkException.Interrupted cause) {
        Thread.interrupted();
        InterruptedException e = new InterruptedException("interrupted while " + what);
        e.initCause(cause);
        return e;
    }
}
