package io.loomzk.bench.load;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * The clock and the tally of one run, shared by its callers, in one of two kinds.
 *
 * <ul>
 *   <li>{@linkplain #timed Timed}: a warmup, then a measured window of fixed length.
 *   <li>{@linkplain #steady Steady} (the recipe workloads): the window opens when the measuring
 *       thread calls {@link #open()} (once every caller has been served once, so every contender
 *       has queued) and closes when it calls {@link #close()} (after a number of acquisitions);
 *       the time between consecutive completions in the window (a hand-over, for a mutex) is
 *       recorded too.
 * </ul>
 *
 * An op that completes inside the window is recorded (latency in nanoseconds); ops outside it
 * are not. Callers stop issuing new ops once {@link #running()} turns false.
 */
final class RunControl {
    final long startNanos;
    /** Written by the measuring thread only (steady kind), read by every caller. */
    private volatile long measureStartNanos;
    /** Written by the measuring thread only (steady kind), read by every caller. */
    private volatile long measureEndNanos;

    private final long giveUpNanos;
    /** Whether this is the steady kind: only then are the window's ops counted and its gaps recorded. */
    private final boolean steady;

    final Recorder recorder = new Recorder(3);
    /** Steady kind only: nanoseconds between consecutive completions in the window. */
    final Recorder gaps = new Recorder(3);
    /** The latest completion in the window (callers race to raise it). */
    private final AtomicLong lastDone = new AtomicLong(Long.MIN_VALUE);

    private final LongAdder windowOps = new LongAdder();
    private final AtomicInteger served = new AtomicInteger();
    private final LongAdder errors = new LongAdder();
    private final AtomicReference<Throwable> firstError = new AtomicReference<>();
    private volatile boolean running = true;

    private RunControl(
            long measureStartNanos, long measureEndNanos, long giveUpNanos, long startNanos, boolean steady) {
        this.startNanos = startNanos;
        this.measureStartNanos = measureStartNanos;
        this.measureEndNanos = measureEndNanos;
        this.giveUpNanos = giveUpNanos;
        this.steady = steady;
    }

    /** A warmup of {@code warmupNanos}, then a window of {@code durationNanos}, from now. */
    static RunControl timed(long warmupNanos, long durationNanos) {
        long now = System.nanoTime();
        return new RunControl(now + warmupNanos, now + warmupNanos + durationNanos, 0, now, false);
    }

    /**
     * A window that opens and closes when the measuring thread says; blocking waits in an op give
     * up at {@code giveUpNanos} (absolute, {@link System#nanoTime()}).
     */
    static RunControl steady(long giveUpNanos) {
        return new RunControl(Long.MAX_VALUE, Long.MAX_VALUE, giveUpNanos, System.nanoTime(), true);
    }

    long measureStartNanos() {
        return measureStartNanos;
    }

    long measureEndNanos() {
        return measureEndNanos;
    }

    /** Steady kind: opens the window now; returns the time it opened. */
    long open() {
        long now = System.nanoTime();
        measureStartNanos = now;
        return now;
    }

    /** Steady kind: closes the window now; returns the time it closed. */
    long close() {
        long now = System.nanoTime();
        measureEndNanos = now;
        return now;
    }

    /** Whether callers should issue another op. */
    boolean running() {
        return running;
    }

    void stop() {
        running = false;
    }

    /** The deadline by which blocking waits in an op (a lock acquire) should give up. */
    long giveUpNanos() {
        return giveUpNanos != 0 ? giveUpNanos : measureEndNanos;
    }

    /** A caller completed its first op (it has queued and been served once). */
    void served() {
        served.incrementAndGet();
    }

    /** How many callers have completed at least one op. */
    int servedCallers() {
        return served.get();
    }

    /** Steady kind: ops completed in the window so far (0 for the timed kind). */
    long windowOps() {
        return windowOps.sum();
    }

    /** An op that began at {@code began} completed successfully now. */
    void done(long began) {
        long now = System.nanoTime();
        if (now >= measureStartNanos && now < measureEndNanos) {
            recorder.recordValue(Math.max(1, now - began));
            if (steady) {
                windowOps.increment();
                long prev = lastDone.getAndAccumulate(now, Math::max);
                if (prev >= measureStartNanos) {
                    gaps.recordValue(Math.max(0, now - prev));
                }
            }
        }
    }

    /** An op failed. */
    void failed(Throwable t) {
        long now = System.nanoTime();
        if (now >= measureStartNanos && now < measureEndNanos) {
            errors.increment();
            firstError.compareAndSet(null, t);
        }
    }

    long errors() {
        return errors.sum();
    }

    Throwable firstError() {
        return firstError.get();
    }
}
