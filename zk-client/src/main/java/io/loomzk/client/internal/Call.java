package io.loomzk.client.internal;

import io.loomzk.protocol.AddWatchRequest;
import io.loomzk.protocol.CheckWatchesRequest;
import io.loomzk.protocol.CreateRequest;
import io.loomzk.protocol.CreateTTLRequest;
import io.loomzk.protocol.Decoder;
import io.loomzk.protocol.DeleteRequest;
import io.loomzk.protocol.ExistsRequest;
import io.loomzk.protocol.Frames;
import io.loomzk.protocol.GetACLRequest;
import io.loomzk.protocol.GetAllChildrenNumberRequest;
import io.loomzk.protocol.GetChildren2Request;
import io.loomzk.protocol.GetChildrenRequest;
import io.loomzk.protocol.GetDataRequest;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.ProtocolException;
import io.loomzk.protocol.RemoveWatchesRequest;
import io.loomzk.protocol.ReplyReader;
import io.loomzk.protocol.Request;
import io.loomzk.protocol.SetACLRequest;
import io.loomzk.protocol.SetDataRequest;
import io.loomzk.protocol.SyncRequest;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One request on its way: what to send, how to read its reply, who waits for it, and how it
 * ended. A call of type {@code T} ends exactly once, either with its reply (a {@code T}, null
 * for a reply without a body) or with a {@link Failure}, one of a closed set;
 * {@link #await()} returns the one or throws the other.
 *
 * <p>Ownership: the caller creates it and waits on it; the writer sets {@link #xid} and
 * {@link #sent} before publishing it to the pending queue; the reader (or whoever fails the
 * connection, or the connection's ticker when the deadline passes) ends it. Ending is decided by
 * one compare-and-set on {@link #state}, so a reply racing with a timeout or with the
 * connection's failure has exactly one winner:
 * <ul>
 *   <li>{@link #OPEN} → {@link #REPLIED}: by the reader, which wrote {@link #reply} before;
 *   <li>{@link #OPEN} → {@link #FAILING} → {@link #FAILED}: by whoever fails it, which writes
 *       {@link #failure} in between, so two failers cannot overwrite each other;
 *   <li>{@link #OPEN} → {@link #ABANDONED}: by the caller, interrupted while it waited.
 * </ul>
 *
 * <p>The caller parks without a timeout: its deadline is enforced by the connection's ticker,
 * which sweeps every queue a few times a second. A timed park per call would arm and cancel a
 * timer in the virtual-thread scheduler for every request, which costs more CPU and memory than
 * the request itself.
 *
 * @param <T> the type of the reply's body ({@link Void} for a reply without one)
 */
public final class Call<T> {
    private static final int OPEN = 0;
    private static final int REPLIED = 1;
    private static final int FAILING = 2;
    private static final int FAILED = 3;
    private static final int ABANDONED = 4;

    private static final VarHandle STATE = Handles.field(MethodHandles.lookup(), "state", int.class);

    /** A deadline that never passes, for calls nobody waits on (auth replay, re-arming). */
    static final long NO_DEADLINE = Long.MIN_VALUE;

    final OpCode op;
    /** The request record, or null; dropped once encoded (the connection may keep the call alive). */
    private Request request;
    /**
     * The path of a read whose body is just a path and a false watch flag
     * ({@link Frames#writePathRequest}), which then needs no request record; else null.
     */
    private String readPath;
    /** The frame's exact size, length prefix included; the writer encodes it into its buffer. */
    final int frameBytes;

    private final ReplyReader<T> reader;
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

    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state;

    /** Written by the reader before it publishes {@link #REPLIED}; taken (and cleared) by the caller. */
    private T reply;

    /** Written by the one failer between {@link #FAILING} and {@link #FAILED}; read by the caller. */
    private Failure failure;

    /** The next older call in its connection's {@link OutboundStack}; set before the push. */
    Call<?> nextOut;

    /** The next call in its connection's {@link PendingList}; set once, by the writer. */
    volatile Call<?> nextPending;

    private Call(
            OpCode op,
            Request request,
            String readPath,
            int frameBytes,
            ReplyReader<T> reader,
            WatchRegistration watch,
            long deadlineNanos) {
        this.op = op;
        this.request = request;
        this.readPath = readPath;
        this.frameBytes = frameBytes;
        this.reader = reader;
        this.watch = watch;
        this.deadlineNanos = deadlineNanos;
        this.waiter = Thread.currentThread();
    }

    /**
     * The server path the request names, or null: for the flight recorder, read before the call
     * is submitted (the request record is dropped once encoded).
     */
    String path() {
        if (readPath != null) {
            return readPath;
        }
        return switch (request) {
            case CreateRequest r -> r.path();
            case CreateTTLRequest r -> r.path();
            case SetDataRequest r -> r.path();
            case DeleteRequest r -> r.path();
            case GetDataRequest r -> r.path();
            case ExistsRequest r -> r.path();
            case GetChildrenRequest r -> r.path();
            case GetChildren2Request r -> r.path();
            case SyncRequest r -> r.path();
            case GetACLRequest r -> r.path();
            case SetACLRequest r -> r.path();
            case AddWatchRequest r -> r.path();
            case RemoveWatchesRequest r -> r.path();
            case CheckWatchesRequest r -> r.path();
            case GetAllChildrenNumberRequest r -> r.path();
            case null, default -> null;
        };
    }

    /**
     * A call with a request record (or none).
     *
     * @param reader how to read a successful reply's body, or null if it has none
     * @param watch the watch to register when the reply arrives, or null
     * @param deadlineNanos when the call fails with a timeout, in {@link System#nanoTime()} terms
     */
    static <T> Call<T> of(
            OpCode op, Request request, ReplyReader<T> reader, WatchRegistration watch, long deadlineNanos) {
        return new Call<>(op, request, null, Frames.requestFrameBytes(request), reader, watch, deadlineNanos);
    }

    /**
     * A read whose request is a path and a false watch flag (getData, exists, getChildren2): the
     * path goes straight into the frame.
     *
     * @throws IllegalArgumentException if {@code op} does not take a path and a watch flag
     */
    static <T> Call<T> pathRead(OpCode op, String path, ReplyReader<T> reader, long deadlineNanos) {
        if (!Frames.takesPathAndWatch(op)) {
            throw new IllegalArgumentException(op + " cannot be sent with just a path");
        }
        return new Call<>(op, null, path, Frames.pathRequestFrameBytes(path), reader, null, deadlineNanos);
    }

    /** A call whose reply has no body and that nobody waits on in particular. */
    static Call<Void> of(OpCode op, Request request, long deadlineNanos) {
        return of(op, request, null, null, deadlineNanos);
    }

    /** A call with a fixed xid (set-watches, auth): the writer does not number it. */
    static Call<Void> reserved(OpCode op, Request request, int xid, long deadlineNanos) {
        Call<Void> call = of(op, request, deadlineNanos);
        call.xid = xid;
        return call;
    }

    /** A call that is never sent: the first node of a {@link PendingList}. */
    static Call<Void> sentinel() {
        return of(OpCode.PING, null, NO_DEADLINE);
    }

    /**
     * A fresh call with the same request, xid rule and deadline, for sending again a call whose
     * connection died before the writer took it (so it was never numbered nor encoded).
     */
    Call<T> again() {
        if (sent) {
            throw new IllegalStateException("a call that may have been sent is never sent again");
        }
        Call<T> c = new Call<>(op, request, readPath, frameBytes, reader, watch, deadlineNanos);
        c.xid = xid; // 0, or a reserved xid
        return c;
    }

    /** Whether the deadline has passed at {@code nowNanos} and the call is still open. */
    boolean isOverdue(long nowNanos) {
        return deadlineNanos != NO_DEADLINE && state == OPEN && nowNanos - deadlineNanos >= 0;
    }

    /**
     * Encodes this call's frame into {@code buf} at {@code off}, once (the writer's); returns the
     * offset after it.
     */
    int encodeInto(byte[] buf, int off) {
        String path = readPath;
        int end = path != null
                ? Frames.writePathRequest(buf, off, xid, op, path, false)
                : Frames.writeRequest(buf, off, xid, op, request);
        request = null;
        readPath = null;
        return end;
    }

    /**
     * Reads the reply's body from {@code frame} (nothing, for a call without a body), while the
     * call is still pending: if the body is malformed, the exception closes the connection, and
     * closing fails every pending call, this one included. The reader's alone; publish it with
     * {@link #succeed()}.
     */
    void readReply(Decoder frame) throws ProtocolException {
        if (reader != null) {
            reply = reader.read(frame);
        }
    }

    /** {@link #readReply} and {@link #succeed()} for a reply already read: the reader's alone. */
    boolean succeed(T value) {
        reply = value;
        return succeed();
    }

    /**
     * Ends the call with the reply {@link #readReply} read; returns false if the call had already
     * ended (its caller gave up, or it timed out), and then drops the reply.
     */
    boolean succeed() {
        if (STATE.compareAndSet(this, OPEN, REPLIED)) {
            LockSupport.unpark(waiter);
            return true;
        }
        reply = null; // the reader's own field until published: nobody will take it
        return false;
    }

    /** Ends the call with {@code why}; returns false if the call had already ended. */
    boolean fail(Failure why) {
        if (STATE.compareAndSet(this, OPEN, FAILING)) {
            failure = why;
            state = FAILED;
            LockSupport.unpark(waiter);
            return true;
        }
        return false;
    }

    /** Whether the call has ended (its caller gave up, or it timed out). */
    boolean isAbandoned() {
        return state != OPEN;
    }

    /**
     * Waits until the call ends: by its reply, by the connection failing, or by its deadline
     * passing (the connection's ticker fails it with {@link Failure#timeout}). Called once, by the
     * thread that created the call.
     *
     * @return the reply's body (null for a reply without one)
     * @throws Failure why the call ended without a reply; {@link Failure.Interrupted} if the
     *     caller was interrupted first (the call is then abandoned and its late reply dropped)
     */
    public T await() throws Failure {
        int s;
        while ((s = state) != REPLIED && s != FAILED) {
            if (s == OPEN) {
                LockSupport.park(this);
                if (Thread.currentThread().isInterrupted() && STATE.compareAndSet(this, OPEN, ABANDONED)) {
                    // read after the state is set: see failed()
                    throw Failure.interrupted(sent);
                }
            } else {
                Thread.onSpinWait(); // FAILING: the failer is between its two writes
            }
        }
        if (s == REPLIED) {
            T r = reply;
            reply = null; // a pending list keeps its last call alive: not its reply too
            return r;
        }
        throw failed();
    }

    /**
     * The failure, with {@link Failure#sent()} corrected: a timeout decided while the call waited
     * for the writer says "not sent", but the writer may have taken the call just before. The
     * writer marks a call sent and then looks at its state; this reads {@link #sent} after the
     * state was set. So if the writer wrote the call, this sees it, and the failure says it may
     * have been applied.
     */
    private Failure failed() {
        Failure f = failure;
        if (!f.sent() && sent) {
            if (f instanceof Failure.TimedOut) {
                return Failure.timeout(true);
            }
            if (f instanceof Failure.Interrupted) {
                return Failure.interrupted(true);
            }
        }
        return f;
    }
}
