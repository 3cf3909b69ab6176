package io.loomzk.client.internal;

import io.loomzk.client.ZkException;
import io.loomzk.protocol.AuthPacket;
import io.loomzk.protocol.ErrorCode;
import io.loomzk.protocol.Frames;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.ReplyReader;
import io.loomzk.protocol.Request;
import io.loomzk.protocol.Xids;
import java.net.ConnectException;

/**
 * Owns a call's whole life, for every call a client makes (its verbs, {@code addAuth}, the
 * session's own watch removals): the size check, the deadline, waiting for a connection,
 * submission, sending again what never reached a server, and turning the outcome into the
 * result or the {@link ZkException} built on the caller's thread.
 *
 * <p>One rule decides what is sent again: a call whose connection died before the call's bytes
 * could reach the server ({@link Failure#sent()} false) goes out on the next connection, within
 * the same deadline; a call that may have been sent is never sent twice.
 *
 * <p>Stateless apart from its session and configuration; any number of threads use it at once.
 * Every method blocks the calling thread for at most the request timeout.
 */
public final class CallEngine {
    private final Session session;
    private final ClientConfig config;
    private final long requestTimeoutNanos;

    CallEngine(Session session, ClientConfig config) {
        this.session = session;
        this.config = config;
        this.requestTimeoutNanos = config.requestTimeout().toNanos();
    }

    /**
     * Runs a call and returns its reply (null for a reply without a body).
     *
     * @param path the client's path, for the exception's message (null for none)
     * @param write whether the call changes state (a failure then says whether it may have been applied)
     * @throws ZkException for every failure
     * @throws IllegalArgumentException if the request is larger than the frame limit
     */
    public <T> T call(
            OpCode op, Request body, ReplyReader<T> reader, WatchRegistration watch, String path, boolean write) {
        return result(run(op, body, reader, watch), path, write);
    }

    /**
     * {@link #call} for a read whose request is a path and a false watch flag (getData, exists,
     * getChildren2): the path goes straight into the frame, with no request record.
     */
    public <T> T readPath(OpCode op, String serverPath, ReplyReader<T> reader, String path) {
        return result(runPathRead(op, serverPath, reader), path, false);
    }

    /**
     * Runs a call and returns its outcome as data: the reply (null for none) or a {@link Failure},
     * for callers that turn some failures into answers (a missing node into an empty result).
     */
    public Object run(OpCode op, Request body, ReplyReader<?> reader, WatchRegistration watch) {
        return run(op, body, Frames.requestFrameBytes(body), reader, watch, 0);
    }

    /** {@link #run} for a read whose request is a path and a false watch flag. */
    public Object runPathRead(OpCode op, String serverPath, ReplyReader<?> reader) {
        return run(op, serverPath, Frames.pathRequestFrameBytes(serverPath), reader, null, 0);
    }

    /**
     * Adds credentials to the session: sends them now (they are replayed on every later
     * connection) and waits for the server's answer.
     *
     * @throws ZkException.AuthFailed if the server rejects them (the session then ends)
     */
    public void addAuth(AuthPacket auth) {
        session.rememberAuth(auth);
        Object outcome = run(OpCode.AUTH, auth, Frames.requestFrameBytes(auth), null, null, Xids.AUTH);
        if (outcome instanceof Failure f) {
            boolean refused = f.kind() == Failure.Kind.SERVER;
            boolean noConnection =
                    !f.sent() && (f.kind() == Failure.Kind.CONNECTION_LOSS || f.kind() == Failure.Kind.SESSION_ENDED);
            if (refused || noConnection) {
                session.forgetAuth(auth); // not to be replayed; an outcome unknown stays for the replay
            }
            throw Errors.toException(f, null, false);
        }
    }

    /** Runs a call with a fixed xid (set-watches): its outcome as {@link #run} gives it. */
    Object runReserved(OpCode op, Request body, int xid) {
        return run(op, body, Frames.requestFrameBytes(body), null, null, xid);
    }

    /**
     * The one place a call is sent: waits for a connection (not at all when the client fails
     * fast while disconnected), submits, and sends again what never reached a server.
     *
     * @param xid 0 for a call the writer numbers, else its fixed xid
     */
    private Object run(
            OpCode op, Object body, int frameBytes, ReplyReader<?> reader, WatchRegistration watch, int xid) {
        if (frameBytes - Frames.LENGTH_BYTES > config.maxFrameBytes()) {
            throw new IllegalArgumentException("request of " + (frameBytes - Frames.LENGTH_BYTES)
                    + " bytes exceeds maxFrameBytes (" + config.maxFrameBytes()
                    + "); a server with the same jute.maxbuffer would drop the connection");
        }
        long deadline = System.nanoTime() + requestTimeoutNanos;
        while (true) {
            Connection c;
            try {
                c = session.awaitConnection(config.failFastWhenDisconnected() ? System.nanoTime() : deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Failure.interrupted(false);
            }
            if (c == null) {
                Failure end = session.ended();
                return end != null ? end : Failure.connectionLoss(false, notConnected());
            }
            Call call = new Call(op, body, frameBytes, reader, watch, deadline);
            if (xid != 0) {
                call.xid = xid;
            }
            c.submit(call);
            Object outcome = call.await();
            if (outcome instanceof Failure f && f.kind() == Failure.Kind.CONNECTION_LOSS && !f.sent()) {
                continue; // never reached the server: safe to send on the next connection
            }
            return outcome == Call.VOID ? null : outcome;
        }
    }

    /** Why a fail-fast call found no connection (null, for the default message, when it waited). */
    private ConnectException notConnected() {
        return config.failFastWhenDisconnected()
                ? new ConnectException("not connected to any server now (the client fails fast while disconnected)")
                : null;
    }

    /**
     * The reply of an outcome {@link #run} returned, or the exception its failure stands for.
     *
     * @throws ZkException if the outcome is a failure
     */
    @SuppressWarnings("unchecked") // the reply was read by the call's ReplyReader<T>
    public static <T> T result(Object outcome, String path, boolean write) {
        if (outcome instanceof Failure f) {
            throw Errors.toException(f, path, write);
        }
        return (T) outcome;
    }

    /** Whether an outcome {@link #run} returned is a failure. */
    public static boolean isFailure(Object outcome) {
        return outcome instanceof Failure;
    }

    /** Whether an outcome is the server's answer {@code code}. */
    public static boolean isServerError(Object outcome, ErrorCode code) {
        return outcome instanceof Failure f && f.kind() == Failure.Kind.SERVER && f.code() == code.code();
    }
}
