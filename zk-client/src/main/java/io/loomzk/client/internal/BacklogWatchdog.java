package io.loomzk.client.internal;

import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Finds consumers that fall behind: every persistent watch, and the state channel while it has
 * transitions to deliver, is registered here; while any is registered one background job of the
 * client ({@code zk-job-backlog-watchdog}) looks at each about four times per stall period (at most
 * once a second) and reports a stall once per backlog until it drains: a WARNING that names the
 * path (never any data), the {@code io.loomzk.SlowConsumer} flight-recorder event, and
 * {@link io.loomzk.client.ClientMetricsListener#slowConsumer}. The job ends when nothing is left
 * to watch and starts again with the next registration, so an idle client runs no thread for it;
 * the client's {@link Jobs} interrupt it on close. Nothing of this runs on the reader thread.
 *
 * <p>{@code lock} guards {@code backlogs} and {@code running}; it is never held while a backlog is
 * asked anything or a stall reported, so a backlog may call {@link #watch} under its own lock; a
 * backlog found over is dropped only if it was not registered again meanwhile.
 */
public final class BacklogWatchdog {
    private static final System.Logger LOG = System.getLogger(BacklogWatchdog.class.getName());
    private static final long MAX_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Jobs jobs;
    private final ClientEvents events;
    private final long stallNanos;
    private final long tickNanos;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock: each backlog watched, with the number of its latest registration. */
    private final Map<Backlog, Long> backlogs = new LinkedHashMap<>();
    /** Guarded by lock: numbers registrations. */
    private long registrations;
    /** Guarded by lock: whether the job runs (or was started and has not yet ended). */
    private boolean running;

    BacklogWatchdog(Jobs jobs, ClientEvents events, long stallNanos) {
        this.jobs = jobs;
        this.events = events;
        this.stallNanos = stallNanos;
        this.tickNanos = Math.clamp(stallNanos / 4, MIN_TICK_NANOS, MAX_TICK_NANOS);
    }

    /** Starts watching {@code backlog} until it reports {@link Backlog#isOver()}. */
    public void watch(Backlog backlog) {
        boolean start;
        lock.lock();
        try {
            backlogs.put(backlog, ++registrations);
            start = !running;
            running = true;
        } finally {
            lock.unlock();
        }
        if (start && !jobs.start("backlog-watchdog", this::run)) {
            lock.lock();
            try {
                running = false; // the client is closed: nothing to watch for
                backlogs.clear();
            } finally {
                lock.unlock();
            }
        }
    }

    private void run() {
        try {
            while (true) {
                TimeUnit.NANOSECONDS.sleep(tickNanos);
                Map<Backlog, Long> all;
                lock.lock();
                try {
                    all = new LinkedHashMap<>(backlogs);
                } finally {
                    lock.unlock();
                }
                // asked outside the lock: a backlog calls watch() under its own lock
                List<Backlog> over =
                        all.keySet().stream().filter(Backlog::isOver).toList();
                lock.lock();
                try {
                    for (Backlog b : over) {
                        backlogs.remove(b, all.get(b)); // unless registered again meanwhile
                    }
                    if (backlogs.isEmpty()) {
                        running = false;
                        return;
                    }
                } finally {
                    lock.unlock();
                }
                long nanos = System.nanoTime();
                for (Backlog b : all.keySet()) {
                    if (over.contains(b)) {
                        continue;
                    }
                    Backlog.Stall stall = b.check(nanos, stallNanos);
                    if (stall != null) {
                        report(stall);
                    }
                }
            }
        } catch (InterruptedException e) {
            lock.lock();
            try {
                running = false; // closing: the jobs refuse a new start from here on
            } finally {
                lock.unlock();
            }
        }
    }

    private void report(Backlog.Stall s) {
        LOG.log(Level.WARNING, () -> describe(s));
        events.slowConsumer(s);
    }

    /** The warning's text: the path and the sizes, never an event's contents. */
    static String describe(Backlog.Stall s) {
        long millis = TimeUnit.NANOSECONDS.toMillis(s.stalledNanos());
        if (s.kind().equals("STATE_LISTENER")) {
            return "slow session state listener " + s.path() + ": busy for " + millis + " ms on one state change, "
                    + (s.events() - 1) + " more waiting (reported once until it catches up)";
        }
        return "slow consumer of the persistent watch on " + s.path() + ": " + s.events() + " events (about "
                + s.bytes() + " bytes) waiting, not drained for " + millis
                + " ms (reported once until it drains; the watch ends with WatchOverflow at its bound)";
    }
}
