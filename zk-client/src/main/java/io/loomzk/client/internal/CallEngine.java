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
        checkSize(Frames.requestFrameBytes(body));
        try { // send() straight from here: every frame is kept on the stack of a blocked caller
            return send(Call.of(op, body, reader, watch, System.nanoTime() + requestTimeoutNanos));
        } catch (Failure f) {
            throw Errors.toException(f, path, write);
        }
    }

    /**
     * {@link #call} for a read whose request is a path and a false watch flag (getData, exists,
     * getChildren2): the path goes straight into the frame, with no request record.
     */
    public <T> T readPath(OpCode op, String serverPath, ReplyReader<T> reader, String path) {
        checkSize(Frames.pathRequestFrameBytes(serverPath));
        try { // as call(): no frame between this one and send()
            return send(Call.pathRead(op, serverPath, reader, System.nanoTime() + requestTimeoutNanos));
        } catch (Failure f) {
            throw Errors.toException(f, path, false);
        }
    }

    /**
     * Runs a call and returns its reply (null for none), or throws its {@link Failure} as data,
     * for callers that turn some failures into answers (a missing node into an empty result).
     *
     * @throws Failure why the call got no reply; turn it into the caller's exception with
     *     {@link Errors#toException}
     * @throws IllegalArgumentException if the request is larger than the frame limit
     */
    public <T> T run(OpCode op, Request body, ReplyReader<T> reader, WatchRegistration watch) throws Failure {
        checkSize(Frames.requestFrameBytes(body));
        return send(Call.of(op, body, reader, watch, System.nanoTime() + requestTimeoutNanos));
    }

    /** {@link #run} for a read whose request is a path and a false watch flag. */
    public <T> T runPathRead(OpCode op, String serverPath, ReplyReader<T> reader) throws Failure {
        checkSize(Frames.pathRequestFrameBytes(serverPath));
        return send(Call.pathRead(op, serverPath, reader, System.nanoTime() + requestTimeoutNanos));
    }

    /**
     * Adds credentials to the session: sends them now (they are replayed on every later
     * connection) and waits for the server's answer.
     *
     * @throws ZkException.AuthFailed if the server rejects them (the session then ends)
     */
    public void addAuth(AuthPacket auth) {
        session.rememberAuth(auth);
        try {
            runReserved(OpCode.AUTH, auth, Xids.AUTH);
        } catch (Failure f) {
            boolean noConnection =
                    !f.sent() && (f instanceof Failure.ConnectionLost || f instanceof Failure.SessionEnded);
            if (f instanceof Failure.ServerError || noConnection) {
                session.forgetAuth(auth); // not to be replayed; an outcome unknown stays for the replay
            }
            throw Errors.toException(f, null, false);
        }
    }

    /** Runs a call with a fixed xid (set-watches, auth), as {@link #run} does. */
    void runReserved(OpCode op, Request body, int xid) throws Failure {
        checkSize(Frames.requestFrameBytes(body));
        send(Call.reserved(op, body, xid, System.nanoTime() + requestTimeoutNanos));
    }

    private void checkSize(int frameBytes) {
        if (frameBytes - Frames.LENGTH_BYTES > config.maxFrameBytes()) {
            throw new IllegalArgumentException("request of " + (frameBytes - Frames.LENGTH_BYTES)
                    + " bytes exceeds maxFrameBytes (" + config.maxFrameBytes()
                    + "); a server with the same jute.maxbuffer would drop the connection");
        }
    }

    /**
     * Waits for a connection (not at all when the client fails fast while disconnected).
     *
     * @throws Failure why there is none: the session ended, no connection before the deadline,
     *     or the caller was interrupted
     */
    private Connection connection(long deadline) throws Failure {
        Connection c;
        try {
            c = session.awaitConnection(config.failFastWhenDisconnected() ? System.nanoTime() : deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Failure.interrupted(false);
        }
        if (c == null) {
            Failure end = session.ended();
            throw end != null ? end : Failure.connectionLoss(false, notConnected());
        }
        return c;
    }

    /**
     * The one place a call is sent: waits for a connection, submits, waits until the call ends,
     * and sends it again on the next connection, within the same deadline, when its connection
     * died before any of its bytes could reach the server. A call that may have been sent is never
     * sent twice.
     */
    private <T> T send(Call<T> first) throws Failure {
        ClientEvents events = session.events();
        if (!events.tracesCalls()) {
            return sendUntraced(first); // the common case: one flag read, nothing else
        }
        ClientEvents.CallTrace trace =
                events.beginCall(first.op, first.path(), first.frameBytes, !session.connectedNow());
        try {
            T reply = sendUntraced(first);
            events.endCall(trace, null);
            return reply;
        } catch (Failure f) {
            events.endCall(trace, f);
            throw f;
        }
    }

    private <T> T sendUntraced(Call<T> first) throws Failure {
        Call<T> call = first;
        while (true) {
            connection(call.deadlineNanos).submit(call);
            try {
                return call.await();
            } catch (Failure.ConnectionLost f) {
                if (f.sent()) {
                    throw f;
                }
                call = call.again(); // never reached the server: safe to send on the next connection
            } catch (Failure.ServerError f) {
                // written behind this client's own close-session request: the server refused it
                // because the session is gone, which this client did, so the call ends as closed
                if (f.code() == ErrorCode.SESSION_EXPIRED.code() && session.isClosing()) {
                    throw Failure.SessionEnded.closed();
                }
                throw f;
            }
        }
    }

    /**
     * Why a call found no connection: for a fail-fast call, that it fails fast; when the
     * reconnects fail in TLS, that failure (it names the cause); else null, for the default message.
     */
    private Exception notConnected() {
        return config.failFastWhenDisconnected()
                ? new ConnectException("not connected to any server now (the client fails fast while disconnected)")
                : session.lastTlsFailure();
    }
}
