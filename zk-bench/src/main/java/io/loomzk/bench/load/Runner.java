package io.loomzk.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * Runs the clients at one workload and concurrency, interleaved: every client's session is opened,
 * then the measured time is cut into rounds, and each round runs every client once (its callers
 * started, a short ramp, a measured slice, its callers stopped), in an order that rotates from
 * round to round. Interference from anything else on the machine then spreads over all clients
 * instead of landing on whichever ran at the wrong moment. Every wait is bounded.
 */
final class Runner {
    /** How long callers get to finish their last op after a slice, before the session closes under them. */
    private static final long STOP_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** How long a recipe slice's queue may drain after its window, before the waiters are cut off. */
    private static final long DRAIN_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** The ramp before every slice after the first one (the first gets the full warmup). */
    private static final Duration RAMP = Duration.ofMillis(300);

    private final String connectString;
    private final Duration sessionTimeout;
    private final Progress progress;
    /** The recipe workloads' window, in acquisitions per client and level (split over the rounds). */
    private final long handovers;
    /** The bound on a recipe slice's queueing phase, and again on its window. */
    private final Duration recipeDeadline;

    Runner(String connectString, Duration sessionTimeout, Progress progress, long handovers, Duration recipeDeadline) {
        this.connectString = connectString;
        this.sessionTimeout = sessionTimeout;
        this.progress = progress;
        this.handovers = handovers;
        this.recipeDeadline = recipeDeadline;
    }

    /** Runs {@code c} unmeasured for {@code duration}, so that the JIT has compiled its paths. */
    void warm(Contender c, Workload w, int concurrency, BenchTree tree, Duration duration) throws Exception {
        c.open(connectString, sessionTimeout);
        try {
            slice(c, w, concurrency, tree, duration, Duration.ofMillis(1), new Tally(), "JIT warmup (not measured)");
        } finally {
            c.close();
        }
    }

    /**
     * Measures every client of {@code clients} for {@code duration} in total, in {@code rounds}
     * interleaved slices, and returns their results in the order given.
     */
    List<RunResult> runLevel(
            List<Contender> clients,
            Workload w,
            int concurrency,
            BenchTree tree,
            Duration warmup,
            Duration duration,
            int rounds,
            int rotation)
            throws Exception {
        Map<Contender, Tally> tallies = new LinkedHashMap<>();
        List<Contender> open = new ArrayList<>();
        try {
            for (Contender c : clients) {
                c.open(connectString, sessionTimeout);
                open.add(c);
                tallies.put(c, new Tally());
            }
            Duration slice = duration.dividedBy(rounds);
            long perSlice = Math.max(1, (handovers + rounds - 1) / rounds);
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < clients.size(); i++) {
                    Contender c = clients.get((i + r + rotation) % clients.size());
                    String phase = rounds > 1 ? "round " + (r + 1) + "/" + rounds : "";
                    if (w.isRecipe()) {
                        steadySlice(c, w, concurrency, tree, perSlice, tallies.get(c), phase);
                        continue;
                    }
                    boolean stuck =
                            slice(c, w, concurrency, tree, r == 0 ? warmup : RAMP, slice, tallies.get(c), phase);
                    if (stuck) {
                        // callers that would not stop were failed by closing the session: start afresh
                        c.close();
                        c.open(connectString, sessionTimeout);
                    }
                }
            }
        } finally {
            for (Contender c : open) {
                c.close();
            }
        }
        List<RunResult> results = new ArrayList<>();
        for (Contender c : clients) {
            RunResult r = tallies.get(c).result(w, concurrency, c);
            results.add(r);
            RunResult.SteadyWindow sw = r.window();
            progress.done(String.format(
                    "%-13s %6d callers  %-22s  %,10.0f ops/s  p99 %8.2f ms  %7.1f µs CPU/op  %,8.0f B/op%s%s",
                    w.label,
                    concurrency,
                    c.label(),
                    r.opsPerSecond(),
                    r.p99Micros() / 1e3,
                    r.cpuMicrosPerOp(),
                    r.bytesPerOp(),
                    r.errors() > 0 ? "  errors " + r.errors() : "",
                    sw == null
                            ? ""
                            : String.format(
                                    java.util.Locale.ROOT,
                                    "  hand-over p50 %.2f p99 %.2f ms; slices %s ops/s%s",
                                    sw.gapP50Micros() / 1e3,
                                    sw.gapP99Micros() / 1e3,
                                    sw.sliceOpsPerSecond().format("%,.0f"),
                                    sw.unsteadySlices() > 0
                                            ? "; " + sw.unsteadySlices() + " slice(s) opened at the deadline, "
                                                    + sw.leastServed() + " of " + concurrency + " served"
                                            : "")));
        }
        return results;
    }

    /** What one client accumulated over its slices. */
    private static final class Tally {
        final Histogram latency = new Histogram(3);
        long cpuNanos;
        long allocatedBytes;
        long gcCount;
        long errors;
        double seconds;
        Throwable firstError;
        /** Steady windows only: the time between consecutive acquisitions, and per-slice figures. */
        final Histogram gaps = new Histogram(3);

        final List<Double> sliceRates = new ArrayList<>();
        long acquisitionsPerSlice;
        double queueingSecondsMax;
        int unsteadySlices;
        int leastServed = Integer.MAX_VALUE;

        RunResult result(Workload w, int concurrency, Contender c) {
            long ops = latency.getTotalCount();
            RunResult.SteadyWindow window = sliceRates.isEmpty()
                    ? null
                    : new RunResult.SteadyWindow(
                            acquisitionsPerSlice,
                            sliceRates.size(),
                            micros(gaps, 50),
                            micros(gaps, 99),
                            micros(gaps, 99.9),
                            gaps.getTotalCount() == 0 ? 0 : gaps.getMaxValue() / 1e3,
                            Spread.of(sliceRates.stream()
                                    .mapToDouble(Double::doubleValue)
                                    .toArray()),
                            queueingSecondsMax,
                            unsteadySlices,
                            leastServed);
            return new RunResult(
                    w,
                    concurrency,
                    c.id(),
                    c.label(),
                    c.isLoomzk(),
                    c.isReference(),
                    ops,
                    seconds,
                    micros(latency, 50),
                    micros(latency, 99),
                    micros(latency, 99.9),
                    ops == 0 ? 0 : latency.getMaxValue() / 1e3,
                    ops == 0 ? Double.NaN : cpuNanos / 1e3 / ops,
                    ops == 0 ? Double.NaN : (double) allocatedBytes / ops,
                    gcCount,
                    errors,
                    firstError == null ? null : firstError.getClass().getSimpleName() + ": " + firstError.getMessage(),
                    window);
        }
    }

    /**
     * One slice: start the callers, ramp, measure into {@code tally}, stop the callers.
     *
     * @return whether some callers did not stop within the grace period
     */
    private boolean slice(
            Contender c,
            Workload w,
            int concurrency,
            BenchTree tree,
            Duration warmup,
            Duration duration,
            Tally tally,
            String phase)
            throws Exception {
        RunControl ctl = RunControl.timed(warmup.toNanos(), duration.toNanos());
        Stopper stopper = null;
        try {
            stopper = c.isAsync()
                    ? startChains(c, w, concurrency, tree, ctl)
                    : startCallers(c, w, concurrency, tree, ctl);
            measure(c, w, concurrency, ctl, tally, phase);
        } finally {
            ctl.stop();
        }
        return stopper.awaitStopped(System.nanoTime() + STOP_GRACE_NANOS) > 0;
    }

    private void measure(Contender c, Workload w, int concurrency, RunControl ctl, Tally tally, String phase)
            throws InterruptedException {
        String what = String.format("%-13s %6d callers  %-22s %s", w.label, concurrency, c.label(), phase);
        while (System.nanoTime() < ctl.measureStartNanos()) {
            progress.show(what + "  ramping up");
            sleepUntil(Math.min(ctl.measureStartNanos(), System.nanoTime() + 500_000_000L));
        }
        ClientCost before = ClientCost.now();
        Histogram interval = null;
        long tickStart = System.nanoTime();
        while (System.nanoTime() < ctl.measureEndNanos()) {
            sleepUntil(Math.min(ctl.measureEndNanos(), System.nanoTime() + 500_000_000L));
            interval = ctl.recorder.getIntervalHistogram(interval);
            tally.latency.add(interval);
            long now = System.nanoTime();
            double rate = interval.getTotalCount() / Math.max(1e-9, (now - tickStart) / 1e9);
            tickStart = now;
            progress.show(String.format(
                    "%s  %,10.0f ops/s  p99 %8.2f ms  errors %d",
                    what,
                    rate,
                    interval.getTotalCount() == 0 ? 0.0 : interval.getValueAtPercentile(99) / 1e6,
                    tally.errors + ctl.errors()));
        }
        ClientCost cost = ClientCost.now().minus(before);
        ctl.stop();
        interval = ctl.recorder.getIntervalHistogram(interval); // ops that completed just before the end
        tally.latency.add(interval);
        tally.cpuNanos += cost.cpuNanos();
        tally.allocatedBytes += cost.allocatedBytes();
        tally.gcCount += cost.gcCount();
        tally.errors += ctl.errors();
        tally.seconds += (ctl.measureEndNanos() - ctl.measureStartNanos()) / 1e9;
        if (tally.firstError == null) {
            tally.firstError = ctl.firstError();
        }
    }

    /**
     * One slice of a recipe workload, in steady state: start the callers; open the window once
     * every one of them has been served once (each has queued, acquired, released and queued
     * again: the queue has turned over), or at the deadline; close it after {@code acquisitions}
     * completions, or at the deadline again. Then stop the callers: the queue drains (each waiting
     * caller takes its turn and stops) for at most {@link #DRAIN_NANOS}; callers still waiting
     * after that are interrupted and the session is closed, which removes their nodes. A fresh
     * session is opened for the next slice.
     */
    private void steadySlice(
            Contender c, Workload w, int concurrency, BenchTree tree, long acquisitions, Tally tally, String phase)
            throws Exception {
        long deadline = recipeDeadline.toNanos();
        RunControl ctl = RunControl.steady(System.nanoTime() + 2 * deadline);
        Callers callers = null;
        try {
            callers = startCallers(c, w, concurrency, tree, ctl);
            measureSteady(c, w, concurrency, ctl, acquisitions, deadline, tally, phase);
            ctl.stop();
            progress.show(String.format(
                    "%-13s %6d callers  %-22s %s  draining the queue", w.label, concurrency, c.label(), phase));
            callers.awaitStopped(System.nanoTime() + Math.min(DRAIN_NANOS, deadline));
        } finally {
            ctl.stop();
            if (callers != null) {
                callers.interrupt();
            }
            c.close();
        }
        int alive = callers.awaitStopped(System.nanoTime() + STOP_GRACE_NANOS);
        if (alive > 0) {
            progress.println(String.format(
                    "%s, %d callers, %s: %d callers still running %d s after their session closed",
                    w.label, concurrency, c.label(), alive, TimeUnit.NANOSECONDS.toSeconds(STOP_GRACE_NANOS)));
        }
        c.open(connectString, sessionTimeout);
    }

    private void measureSteady(
            Contender c,
            Workload w,
            int concurrency,
            RunControl ctl,
            long acquisitions,
            long deadlineNanos,
            Tally tally,
            String phase)
            throws InterruptedException {
        String what = String.format("%-13s %6d callers  %-22s %s", w.label, concurrency, c.label(), phase);
        long queueDeadline = ctl.startNanos + deadlineNanos;
        long shown = System.nanoTime() - 1_000_000_000L; // when the progress line was last shown
        while (ctl.servedCallers() < concurrency && System.nanoTime() < queueDeadline) {
            if (System.nanoTime() - shown > 500_000_000L) {
                progress.show(String.format(
                        "%s  queueing: %,d of %,d contenders served once", what, ctl.servedCallers(), concurrency));
                shown = System.nanoTime();
            }
            sleepUntil(Math.min(queueDeadline, System.nanoTime() + 10_000_000L));
        }
        int served = ctl.servedCallers();
        ClientCost before = ClientCost.now();
        long opened = ctl.open();
        long windowDeadline = opened + deadlineNanos;
        while (ctl.windowOps() < acquisitions && System.nanoTime() < windowDeadline) {
            if (System.nanoTime() - shown > 500_000_000L) {
                progress.show(String.format(
                        "%s  %,d of %,d acquisitions  errors %d",
                        what, ctl.windowOps(), acquisitions, tally.errors + ctl.errors()));
                shown = System.nanoTime();
            }
            sleepUntil(Math.min(windowDeadline, System.nanoTime() + 5_000_000L));
        }
        long closed = ctl.close();
        ClientCost cost = ClientCost.now().minus(before);
        ctl.stop();
        Histogram latency = ctl.recorder.getIntervalHistogram();
        tally.latency.add(latency);
        tally.gaps.add(ctl.gaps.getIntervalHistogram());
        tally.cpuNanos += cost.cpuNanos();
        tally.allocatedBytes += cost.allocatedBytes();
        tally.gcCount += cost.gcCount();
        tally.errors += ctl.errors();
        double seconds = (closed - opened) / 1e9;
        tally.seconds += seconds;
        tally.sliceRates.add(latency.getTotalCount() / Math.max(1e-9, seconds));
        tally.acquisitionsPerSlice = acquisitions;
        tally.queueingSecondsMax = Math.max(tally.queueingSecondsMax, (opened - ctl.startNanos) / 1e9);
        tally.leastServed = Math.min(tally.leastServed, served);
        if (served < concurrency) {
            tally.unsteadySlices++;
        }
        if (tally.firstError == null) {
            tally.firstError = ctl.firstError();
        }
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

    /** The caller threads of one slice. */
    private record Callers(Thread[] threads) implements Stopper {
        void interrupt() {
            for (Thread t : threads) {
                t.interrupt();
            }
        }

        @Override
        public int awaitStopped(long deadline) throws InterruptedException {
            int alive = 0;
            for (Thread t : threads) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    t.join(Duration.ofNanos(left));
                }
                if (t.isAlive()) {
                    alive++;
                }
            }
            return alive;
        }
    }

    private static Callers startCallers(Contender c, Workload w, int concurrency, BenchTree tree, RunControl ctl) {
        Thread[] callers = new Thread[concurrency];
        for (int i = 0; i < concurrency; i++) {
            Contender.BlockingOp op = c.blockingOp(w, tree, i, ctl);
            callers[i] = Thread.ofVirtual().name("bench-caller-" + i).unstarted(() -> {
                boolean served = false;
                while (ctl.running()) {
                    long began = System.nanoTime();
                    try {
                        op.run();
                        if (!served) {
                            served = true;
                            ctl.served();
                        }
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
        return new Callers(callers);
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
