package io.loomzk.client.internal;

import io.loomzk.protocol.ConnectResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * While a session is served by a read-only server, looks for a read-write one now and then:
 * first after a second, then at doubling intervals up to a minute. A probe shakes hands with each
 * other host asking for a read-write session (a read-only server refuses that); the first that
 * accepts becomes the session's next connection, handshake done.
 *
 * <p>Owned by the session loop, which alone calls it; not thread-safe.
 */
final class ReadWriteProbe {
    private static final System.Logger LOG = System.getLogger(ReadWriteProbe.class.getName());
    private static final long FIRST_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** Opens a connection to a host with a read-write handshake, within an attempt's budget. */
    @FunctionalInterface
    interface Dial {
        Connection readWrite(InetSocketAddress host) throws IOException;
    }

    private final HostList hosts;
    private final Dial dial;
    private long intervalNanos = FIRST_NANOS;
    private long nextNanos;

    /** A probe schedule that starts now: the first probe is due a second from now. */
    ReadWriteProbe(HostList hosts, Dial dial) {
        this.hosts = hosts;
        this.dial = dial;
        this.nextNanos = System.nanoTime() + intervalNanos;
    }

    /** How long until the next probe is due, in nanoseconds (at most 0 when due). */
    long nanosUntilDue() {
        return nextNanos - System.nanoTime();
    }

    /**
     * Probes every host but {@code current} once; when none accepts, schedules the next probe
     * after twice the interval.
     *
     * @return a read-write connection to continue on, handshake done; or null
     */
    Connection probe(InetSocketAddress current) {
        for (int i = 0; i < hosts.size(); i++) {
            InetSocketAddress candidate = hosts.next();
            if (candidate.equals(current)) {
                continue;
            }
            try {
                Connection c = dial.readWrite(candidate);
                ConnectResponse r = c.handshake();
                if (r.timeOut() > 0 && !r.readOnly()) {
                    LOG.log(Level.INFO, () -> "read-write server found at " + candidate);
                    return c;
                }
                c.close(null);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.TRACE, () -> "read-write probe of " + candidate + " failed: " + e);
            }
        }
        intervalNanos = Math.min(2 * intervalNanos, MAX_NANOS);
        nextNanos = System.nanoTime() + intervalNanos;
        return null;
    }
}
