package io.loomzk.bench.load;

import java.time.Duration;

/**
 * One client under test: how it connects, which workloads it can run, and how it runs them.
 * Each run opens a fresh client (one session, one connection) and closes it afterwards.
 */
abstract class Contender {
    /** How long past the end of a run a lock acquire may still wait before it gives up. */
    static final long LOCK_GRACE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

    /** An op a caller thread runs and blocks on. */
    @FunctionalInterface
    interface BlockingOp {
        void run() throws Exception;
    }

    /** An op that completes through a callback: exactly one of {@code done} or {@code failed}. */
    interface AsyncOp {
        void start(Runnable done, java.util.function.Consumer<Throwable> failed);
    }

    /** Stable id, used in JSON and on the command line. */
    abstract String id();

    /** What a person reads in the table. */
    abstract String label();

    /** Whether this is LoomZK (the numerator of every ratio). */
    boolean isLoomzk() {
        return false;
    }

    /**
     * Whether this is a reference row, not a client (the bare wire): shown in the table, left
     * out of LoomZK's ratios against the other clients.
     */
    boolean isReference() {
        return false;
    }

    abstract boolean supports(Workload w);

    /** Opens a session; blocks until connected. */
    abstract void open(String connectString, Duration sessionTimeout) throws Exception;

    /** Closes the session; calls still waiting fail. Idempotent. */
    abstract void close();

    /** Whether ops run on caller threads ({@link #blockingOp}) or through callbacks ({@link #asyncOp}). */
    boolean isAsync() {
        return false;
    }

    /** The op caller number {@code caller} runs; called once per caller before it starts. */
    BlockingOp blockingOp(Workload w, BenchTree tree, int caller, RunControl ctl) {
        throw new UnsupportedOperationException(id() + " has no blocking ops");
    }

    /** The op of one async chain; called once per chain. */
    AsyncOp asyncOp(Workload w, BenchTree tree, int chain) {
        throw new UnsupportedOperationException(id() + " has no async ops");
    }
}
