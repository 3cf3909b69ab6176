package io.loomzk.bench.load;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * Runs one client on one workload at one concurrency: open a session, start the callers, warm up,
 * measure, stop the callers (every wait bounded), close the session.
 */
final class Runner {
    /** How long callers get to finish their last op after the window, before the session closes under them. */
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String connectString;
    private final Duration sessionTimeout;
    private final Progress progress;

    Runner(String connectString, Duration sessionTimeout, Progress progress) {
        this.connectString = connectString;
        this.sessionTimeout = sessionTimeout;
        this.progress = progress;
    }

    /** Runs {@code c} unmeasured for {@code duration}, so that the JIT has compiled its paths. */
    void warm(Contender c, Workload w, int concurrency, BenchTree tree, Duration duration) throws Exception {
        run(c, w, concurrency, tree, duration, Duration.ofMillis(1), false);
    }

    RunResult run(Contender c, Workload w, int concurrency, BenchTree tree, Duration warmup, Duration duration)
            throws Exception {
        return run(c, w, concurrency, tree, warmup, duration, true);
    }

    private RunResult run(
            Contender c,
            Workload w,
            int concurrency,
            BenchTree tree,
            Duration warmup,
            Duration duration,
            boolean announce)
            throws Exception {
        c.open(connectString, sessionTimeout);
        RunControl ctl = new RunControl(warmup.toNanos(), duration.toNanos());
        Stopper stopper = null;
        try {
            stopper = c.isAsync()
                    ? startChains(c, w, concurrency, tree, ctl)
                    : startCallers(c, w, concurrency, tree, ctl);
            return measure(c, w, concurrency, ctl, announce);
        } finally {
            ctl.stop();
            if (stopper != null) {
                stopper.awaitStopped(System.nanoTime() + STOP_GRACE_NANOS);
            }
            c.close();
            if (stopper != null) {
                stopper.awaitStopped(System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
            }
        }
    }

    private RunResult measure(Contender c, Workload w, int concurrency, RunControl ctl, boolean announce)
            throws InterruptedException {
        String what = String.format("%-13s %6d callers  %-15s", w.label, concurrency, c.label());
        while (System.nanoTime() < ctl.measureStartNanos) {
            progress.show(what + (announce ? "  warming up" : "  JIT warmup (not measured)"));
            sleepUntil(Math.min(ctl.measureStartNanos, System.nanoTime() + 500_000_000L));
        }
        ClientCost before = ClientCost.now();
        Histogram total = new Histogram(3);
        Histogram interval = null;
        long tickStart = System.nanoTime();
        while (System.nanoTime() < ctl.measureEndNanos) {
            sleepUntil(Math.min(ctl.measureEndNanos, System.nanoTime() + 1_000_000_000L));
            interval = ctl.recorder.getIntervalHistogram(interval);
            total.add(interval);
            long now = System.nanoTime();
            double elapsed = (now - ctl.measureStartNanos) / 1e9;
            double window = (ctl.measureEndNanos - ctl.measureStartNanos) / 1e9;
            double rate = interval.getTotalCount() / Math.max(1e-9, (now - tickStart) / 1e9);
            tickStart = now;
            progress.show(String.format(
                    "%s  %4.1f/%.0f s  %,10.0f ops/s  p99 %8.2f ms  errors %d",
                    what,
                    Math.min(elapsed, window),
                    window,
                    rate,
                    interval.getTotalCount() == 0 ? 0.0 : interval.getValueAtPercentile(99) / 1e6,
                    ctl.errors()));
        }
        ClientCost cost = ClientCost.now().minus(before);
        ctl.stop();
        // ops that completed just before the window closed
        interval = ctl.recorder.getIntervalHistogram(interval);
        total.add(interval);
        double seconds = (ctl.measureEndNanos - ctl.measureStartNanos) / 1e9;
        long ops = total.getTotalCount();
        Throwable first = ctl.firstError();
        RunResult r = new RunResult(
                w,
                concurrency,
                c.id(),
                c.label(),
                c.isLoomzk(),
                ops,
                seconds,
                micros(total, 50),
                micros(total, 99),
                micros(total, 99.9),
                ops == 0 ? 0 : total.getMaxValue() / 1e3,
                ops == 0 ? Double.NaN : cost.cpuNanos() / 1e3 / ops,
                ops == 0 ? Double.NaN : (double) cost.allocatedBytes() / ops,
                cost.gcCount(),
                ctl.errors(),
                first == null ? null : first.getClass().getSimpleName() + ": " + first.getMessage());
        if (!announce) {
            return r;
        }
        progress.done(String.format(
                "%s  %,10.0f ops/s  p99 %8.2f ms  %7.1f µs CPU/op  %,8.0f B/op%s",
                what,
                r.opsPerSecond(),
                r.p99Micros() / 1e3,
                r.cpuMicrosPerOp(),
                r.bytesPerOp(),
                r.errors() > 0 ? "  errors " + r.errors() : ""));
        return r;
    }

    private static double micros(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1e3;
    }

    private static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /** Waits, bounded, for a run's callers or chains to finish. */
    interface Stopper {
        /** Returns how many are still going at {@code deadline}. */
        int awaitStopped(long deadlineNanos) throws InterruptedException;
    }

    private static Stopper startCallers(Contender c, Workload w, int concurrency, BenchTree tree, RunControl ctl) {
        Thread[] callers = new Thread[concurrency];
        for (int i = 0; i < concurrency; i++) {
            Contender.BlockingOp op = c.blockingOp(w, tree, i, ctl);
            callers[i] = Thread.ofVirtual().name("bench-caller-" + i).unstarted(() -> {
                while (ctl.running()) {
                    long began = System.nanoTime();
                    try {
                        op.run();
                        ctl.done(began);
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        ctl.failed(e);
                        if (System.nanoTime() - began < 1_000_000) {
                            pause(); // fails fast (no connection?): don't spin
                        }
                    }
                }
            });
        }
        for (Thread t : callers) {
            t.start();
        }
        return deadline -> {
            int alive = 0;
            for (Thread t : callers) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    t.join(Duration.ofNanos(left));
                }
                if (t.isAlive()) {
                    alive++;
                }
            }
            return alive;
        };
    }

    private static Stopper startChains(Contender c, Workload w, int concurrency, BenchTree tree, RunControl ctl) {
        AtomicInteger inFlight = new AtomicInteger();
        for (int i = 0; i < concurrency; i++) {
            Contender.AsyncOp op = c.asyncOp(w, tree, i);
            new Chain(op, ctl, inFlight).next();
        }
        return deadline -> {
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            return inFlight.get();
        };
    }

    /** One async chain: each completion records and starts the next op until the run stops. */
    private static final class Chain implements Runnable, java.util.function.Consumer<Throwable> {
        private final Contender.AsyncOp op;
        private final RunControl ctl;
        private final AtomicInteger inFlight;
        private long began;

        Chain(Contender.AsyncOp op, RunControl ctl, AtomicInteger inFlight) {
            this.op = op;
            this.ctl = ctl;
            this.inFlight = inFlight;
        }

        void next() {
            if (!ctl.running()) {
                return;
            }
            inFlight.incrementAndGet();
            began = System.nanoTime();
            try {
                op.start(this, this);
            } catch (RuntimeException e) {
                accept(e);
            }
        }

        @Override
        public void run() {
            ctl.done(began);
            inFlight.decrementAndGet();
            next();
        }

        @Override
        public void accept(Throwable t) {
            ctl.failed(t);
            inFlight.decrementAndGet();
            if (System.nanoTime() - began < 1_000_000) {
                // failing fast (no connection?): retry from another thread after a pause, not in a tight loop
                Thread.ofVirtual().start(() -> {
                    pause();
                    next();
                });
            } else {
                next();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
