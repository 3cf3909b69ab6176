package io.loomzk.client.internal;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * How long one connection attempt may take and how long to pause between attempts: small pure
 * functions of the session's timing and of how many servers it has, beside the session loop that
 * asks them.
 */
final class ReconnectPolicy {
    private final ClientConfig config;
    /** How many servers the session has now (its list can be replaced). */
    private final IntSupplier hostCount;

    ReconnectPolicy(ClientConfig config, IntSupplier hostCount) {
        this.config = config;
        this.hostCount = hostCount;
    }

    /**
     * One attempt's budget (TCP connect and handshake together): a share of the session timeout
     * per host, and never more than a third of it, within what is left of it. A healthy server
     * answers a handshake in milliseconds; one that accepted the connection and lost it (a 3.5
     * server does so while starting) must not take the whole session timeout with it, even when
     * it is the only host.
     *
     * @param sessionMillis the session timeout in force (granted and bounded by the one asked for)
     * @param resuming whether an established session is being resumed (its clock runs)
     * @param lastHeardNanos when a server last answered the session
     */
    int attemptTimeoutMillis(long sessionMillis, boolean resuming, long lastHeardNanos) {
        long share = Math.max(1000, Math.min(sessionMillis / hostCount.getAsInt(), sessionMillis / 3));
        if (resuming) {
            long left = sessionMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastHeardNanos);
            share = Math.min(share, Math.max(100, left));
        } else {
            share = Math.min(share, Math.max(100, config.connectTimeout().toMillis()));
        }
        return (int) share;
    }

    /**
     * No pause until every host failed once; then up to 1 s of jitter, growing with the rounds,
     * and never past the end of a resumed session.
     */
    long backoffNanos(int failures, long sessionMillis, boolean resuming, long lastHeardNanos) {
        int hosts = hostCount.getAsInt();
        if (failures < hosts) {
            return 0;
        }
        int rounds = Math.min(10, failures / hosts);
        long cap = TimeUnit.MILLISECONDS.toNanos(Math.min(1000, 25L << rounds));
        long pause = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        if (resuming) {
            long left = TimeUnit.MILLISECONDS.toNanos(sessionMillis) - (System.nanoTime() - lastHeardNanos);
            pause = Math.min(pause, Math.max(0, left));
        }
        return pause;
    }
}
