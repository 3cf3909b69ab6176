package io.loomzk.client.internal;

import io.loomzk.protocol.Frames;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.ReplyReader;
import io.loomzk.protocol.Request;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One request on its way: what to send, how to read its reply, who waits for it, and one
 * outcome slot set exactly once.
 *
 * <p>Ownership: the caller creates it and waits on it; the writer sets {@link #xid} and
 * {@link #sent} before publishing it to the pending queue; the reader (or whoever fails the
 * connection, or the connection's ticker when the deadline passes) completes it. The outcome is
 * the decoded reply, {@link #VOID}, a {@link Failure}, or {@link #ABANDONED} (and, once the caller
 * has taken it, a marker that keeps nothing alive); it is published by
 * compare-and-set, so a reply racing with a timeout or with the connection's failure has exactly
 * one winner.
 *
 * <p>The caller parks without a timeout: its deadline is enforced by the connection's ticker,
 * which sweeps every queue a few times a second. A timed park per call would arm and cancel a
 * timer in the virtual-thread scheduler for every request, which costs more CPU and memory than
 * the request itself.
 */
public final class Call {
    /** The outcome of a successful call whose reply has no body. */
    public static final Object VOID = new Object() {
        @Override
        public String toString() {
            return "VOID";
        }
    };

    /** The outcome of a call whose caller stopped waiting; a late reply is dropped. */
    static final Object ABANDONED = new Object() {
        @Override
        public String toString() {
            return "ABANDONED";
        }
    };

    /** The outcome slot once the caller has taken the outcome. */
    private static final Object TAKEN = new Object() {
        @Override
        public String toString() {
            return "TAKEN";
        }
    };

    private static final VarHandle OUTCOME = Handles.field(MethodHandles.lookup(), "outcome", Object.class);

    /** A deadline that never passes, for calls nobody waits on (auth replay, re-arming). */
    static final long NO_DEADLINE = Long.MIN_VALUE;

    final OpCode op;
    /**
     * A {@link Request}, null, or the path of a read whose body is a path and a false watch flag
     * ({@link Frames#writePathRequest}), which then needs no request record. Dropped once
     * encoded: the connection may keep this call alive a while, not its request.
     */
    private Object body;
    /** The frame's exact size, length prefix included; the writer encodes it into its buffer. */
    final int frameBytes;

    final ReplyReader<?> reader;
    final WatchRegistration watch;
    final long deadlineNanos;
    private final Thread waiter;

    /** Set by the writer before the call is published to the pending queue. */
    int xid;

    /**
     * Set by the writer before the call is published: its bytes may have reached the server.
     * Volatile because an interrupted caller reads it without any other ordering.
     */
    volatile boolean sent;

    @SuppressWarnings("unused") // accessed through OUTCOME
    private volatile Object outcome;

    /** The next older call in its connection's {@link OutboundStack}; set before the push. */
    Call nextOut;

    /** The next call in its connection's {@link PendingList}; set once, by the writer. */
    volatile Call nextPending;

    /**
     * @param op the op code
     * @param body the request body {@code op} takes, or null; or, when
     *     {@link Frames#takesPathAndWatch(OpCode) op takes a path and a watch flag}, just the
     *     path (a {@code String}), sent with the flag false
     * @param frameBytes the frame's size, {@code Frames.requestFrameBytes(body)} (or
     *     {@code Frames.pathRequestFrameBytes(path)})
     * @param reader how to read a successful reply's body, or null if it has none
     * @param watch the watch to register when the reply arrives, or null
     * @param deadlineNanos when the call fails with a timeout, in {@link System#nanoTime()} terms
     */
    public Call(
            OpCode op,
            Object body,
            int frameBytes,
            ReplyReader<?> reader,
            WatchRegistration watch,
            long deadlineNanos) {
        if (body != null && !(body instanceof Request) && !(body instanceof String && Frames.takesPathAndWatch(op))) {
            throw new IllegalArgumentException(
                    op + " cannot be sent with a " + body.getClass().getSimpleName());
        }
        this.op = op;
        this.body = body;
        this.frameBytes = frameBytes;
        this.reader = reader;
        this.watch = watch;
        this.deadlineNanos = deadlineNanos;
        this.waiter = Thread.currentThread();
    }

    /** A call that needs no reply body and waits for nobody in particular. */
    static Call of(OpCode op, Request body, long deadlineNanos) {
        return new Call(op, body, Frames.requestFrameBytes(body), null, null, deadlineNanos);
    }

    /** A call with a fixed xid (set-watches, auth): the writer does not number it. */
    static Call reserved(OpCode op, Request body, int xid, long deadlineNanos) {
        Call call = of(op, body, deadlineNanos);
        call.xid = xid;
        return call;
    }

    /** A call that is never sent: the first node of a {@link PendingList}. */
    static Call sentinel() {
        return new Call(OpCode.PING, null, 0, null, null, NO_DEADLINE);
    }

    /** Whether the deadline has passed at {@code nowNanos} and the call is still open. */
    boolean isOverdue(long nowNanos) {
        return deadlineNanos != NO_DEADLINE && outcome == null && nowNanos - deadlineNanos >= 0;
    }

    /**
     * Encodes this call's frame into {@code buf} at {@code off}, once (the writer's); returns the
     * offset after it.
     */
    int encodeInto(byte[] buf, int off) {
        Object b = body;
        int end = b instanceof String path
                ? Frames.writePathRequest(buf, off, xid, op, path, false)
                : Frames.writeRequest(buf, off, xid, op, (Request) b);
        body = null;
        return end;
    }

    /** Completes with a reply or a failure; returns false if the call already had an outcome. */
    boolean complete(Object value) {
        if (OUTCOME.compareAndSet(this, null, value)) {
            LockSupport.unpark(waiter);
            return true;
        }
        return false;
    }

    /** Whether the call already has an outcome (its caller gave up, or it timed out). */
    boolean isAbandoned() {
        return outcome != null;
    }

    /**
     * Waits until the call completes: by its reply, by the connection failing, or by its deadline
     * passing (the connection's ticker completes it with {@link Failure#timeout}). Called once,
     * by the thread that created the call.
     *
     * @return the outcome: the reply, {@link #VOID} or a {@link Failure};
     *     {@link Failure#interrupted} if the caller was interrupted first (the call is then
     *     abandoned and its late reply will be dropped)
     */
    public Object await() {
        Object o;
        while ((o = outcome) == null) {
            LockSupport.park(this);
            if (Thread.currentThread().isInterrupted()) {
                return giveUp();
            }
        }
        return take(o);
    }

    private Object giveUp() {
        if (OUTCOME.compareAndSet(this, null, ABANDONED)) {
            // read after the outcome is set: see take()
            return Failure.interrupted(sent);
        }
        return take(outcome); // the reply won the race: use it
    }

    /**
     * Hands the outcome to the caller and drops the call's own reference to it: a connection's
     * pending list keeps the last call it took alive until the next one, and that must not keep
     * a large reply alive.
     *
     * <p>A timeout decided while the call waited for the writer says "not sent", but the writer
     * may have taken the call just before the outcome was set. The writer marks a call sent and
     * then looks at its outcome; this reads {@link #sent} after the outcome was set. So if the
     * writer wrote the call, this sees it, and the failure says it may have been applied.
     */
    private Object take(Object o) {
        OUTCOME.setRelease(this, TAKEN);
        if (o instanceof Failure f
                && !f.sent()
                && (f.kind() == Failure.Kind.TIMEOUT || f.kind() == Failure.Kind.INTERRUPTED)
                && sent) {
            return new Failure(f.kind(), f.code(), true, f.cause());
        }
        return o;
    }
}
