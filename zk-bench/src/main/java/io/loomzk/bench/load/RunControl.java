package io.loomzk.bench.load;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Recorder;

/**
 * The clock and the tally of one run, shared by its callers: a warmup, then the measured window.
 * An op that completes inside the window is recorded (latency in nanoseconds); ops outside it
 * are not. Callers stop issuing new ops once {@link #running()} turns false.
 */
final class RunControl {
    final long startNanos;
    final long measureStartNanos;
    final long measureEndNanos;
    final Recorder recorder = new Recorder(3);
    private final LongAdder errors = new LongAdder();
    private final AtomicReference<Throwable> firstError = new AtomicReference<>();
    private volatile boolean running = true;

    RunControl(long warmupNanos, long durationNanos) {
        this.startNanos = System.nanoTime();
        this.measureStartNanos = startNanos + warmupNanos;
        this.measureEndNanos = measureStartNanos + durationNanos;
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
        return measureEndNanos;
    }

    /** An op that began at {@code began} completed successfully now. */
    void done(long began) {
        long now = System.nanoTime();
        if (now >= measureStartNanos && now < measureEndNanos) {
            recorder.recordValue(Math.max(1, now - began));
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
