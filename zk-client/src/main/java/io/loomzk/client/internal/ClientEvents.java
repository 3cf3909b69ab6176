package io.loomzk.client.internal;

import io.loomzk.client.ClientMetricsListener;
import io.loomzk.client.SessionState;
import io.loomzk.protocol.ErrorCode;
import io.loomzk.protocol.OpCode;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where a client reports what it did: to its JDK Flight Recorder events ({@link JfrEvents}) and to
 * the {@link ClientMetricsListener} it was built with. When no recording enables an event and no
 * listener is set, each report costs a null check and one read of the event's enabled flag: no
 * clock read, no allocation, not even the call's path.
 *
 * <p>Never called with a client lock held. A listener's exception is caught; the first one is
 * logged at WARNING and later ones are dropped. Immutable apart from that flag; shared by every
 * thread of the client.
 */
public final class ClientEvents {
    private static final System.Logger LOG = System.getLogger(ClientEvents.class.getName());

    /**
     * Whether the runtime has the flight recorder's module (a {@code jlink} image may not, when the
     * client runs on the class path): without it no event class is ever loaded.
     */
    private static final boolean JFR = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    /** No listener: only the flight recorder, if it records. */
    static final ClientEvents NONE = new ClientEvents(null);

    private final ClientMetricsListener listener;
    private final AtomicBoolean warned = new AtomicBoolean();

    ClientEvents(ClientMetricsListener listener) {
        this.listener = listener;
    }

    /** The listener, or null. */
    ClientMetricsListener listener() {
        return listener;
    }

    // ---- calls

    /** Whether anyone would see a call: a listener, or a recording that enables the call event. */
    boolean tracesCalls() {
        return listener != null || (JFR && JfrEvents.callEnabled());
    }

    /**
     * Begins tracing a call; only when {@link #tracesCalls()}.
     *
     * @param path the server path the call names, or null
     * @param bytesOut the request frame's size
     * @param waiting whether no connection was ready when the call began
     */
    CallTrace beginCall(OpCode op, String path, int bytesOut, boolean waiting) {
        Object event = JFR && JfrEvents.callEnabled() ? JfrEvents.beginCall() : null;
        if (listener != null) {
            try {
                listener.callStarted(op);
            } catch (RuntimeException e) {
                warnOnce(e);
            }
        }
        return new CallTrace(op, path, bytesOut, waiting, event, System.nanoTime());
    }

    /** Ends a call's trace; {@code failure} null for success. */
    void endCall(CallTrace trace, Failure failure) {
        long nanos = System.nanoTime() - trace.startNanos;
        String outcome = outcome(failure);
        if (trace.event != null) {
            JfrEvents.endCall(trace.event, trace.op.name(), trace.path, trace.bytesOut, outcome, trace.waiting);
        }
        if (listener != null) {
            try {
                listener.callCompleted(trace.op, outcome, nanos);
            } catch (RuntimeException e) {
                warnOnce(e);
            }
        }
    }

    /** A call in progress, traced because a recording or a listener wants it. Owned by its caller. */
    static final class CallTrace {
        final OpCode op;
        final String path;
        final int bytesOut;
        final boolean waiting;
        /** The begun flight-recorder event, or null (typed Object: see {@link #JFR}). */
        final Object event;

        final long startNanos;

        CallTrace(OpCode op, String path, int bytesOut, boolean waiting, Object event, long startNanos) {
            this.op = op;
            this.path = path;
            this.bytesOut = bytesOut;
            this.waiting = waiting;
            this.event = event;
            this.startNanos = startNanos;
        }
    }

    /** The outcome's name: a closed set of constants (see {@link ClientMetricsListener#callCompleted}). */
    static String outcome(Failure f) {
        if (f == null) {
            return "OK";
        }
        return switch (f) {
            case Failure.ServerError s -> ErrorCode.of(s.code()).name();
            case Failure.ConnectionLost c -> "CONNECTION_LOSS";
            case Failure.TimedOut t -> "REQUEST_TIMEOUT";
            case Failure.ReplyTooLarge r -> "REPLY_TOO_LARGE";
            case Failure.Interrupted i -> "INTERRUPTED";
            case Failure.SessionEnded e -> e.end().name();
        };
    }

    // ---- the session

    /** Whether anyone would see a connection attempt or a re-arm (then the caller reads the clock). */
    boolean sessionTraced() {
        return listener != null || (JFR && JfrEvents.sessionEnabled());
    }

    /**
     * A connection attempt ended.
     *
     * @param failure what ended it, or null if the server answered the handshake
     */
    void connectionAttempt(InetSocketAddress server, long sessionId, long startNanos, Throwable failure) {
        long nanos = System.nanoTime() - startNanos;
        String outcome = failure == null ? "OK" : failure.getClass().getSimpleName();
        if (JFR) {
            JfrEvents.attempt(String.valueOf(server), sessionId, outcome, nanos);
        }
        if (listener != null) {
            try {
                listener.connectionAttempt(server, outcome, nanos);
            } catch (RuntimeException e) {
                warnOnce(e);
            }
        }
    }

    /** Watches were re-armed on a new connection. */
    void rearmed(long sessionId, int watches, int requests, long startNanos) {
        long nanos = System.nanoTime() - startNanos;
        if (JFR) {
            JfrEvents.rearm(sessionId, watches, requests);
        }
        if (listener != null) {
            try {
                listener.watchesRearmed(watches, requests, nanos);
            } catch (RuntimeException e) {
                warnOnce(e);
            }
        }
    }

    /** The flight recorder's state event; called by the state channel, outside its lock. */
    static void recordState(String client, SessionState previous, SessionState next) {
        if (JFR) {
            JfrEvents.state(client, previous.name(), next.name());
        }
    }

    /** Called on the state channel's thread, for the listener (the flight recorder has its own event). */
    void stateChanged(SessionState state) {
        try {
            listener.stateChanged(state);
        } catch (RuntimeException e) {
            warnOnce(e);
        }
    }

    /** A consumer fell behind; called by the backlog watchdog's thread (its WARNING is logged there). */
    void slowConsumer(Backlog.Stall s) {
        if (JFR) {
            JfrEvents.slowConsumer(s.kind(), s.path(), s.events(), s.bytes(), s.stalledNanos());
        }
        if (listener != null) {
            try {
                listener.slowConsumer(s.kind(), s.path(), s.events(), s.bytes(), s.stalledNanos());
            } catch (RuntimeException e) {
                warnOnce(e);
            }
        }
    }

    private void warnOnce(RuntimeException e) {
        if (warned.compareAndSet(false, true)) {
            LOG.log(
                    Level.WARNING,
                    "the client's metrics listener " + listener.getClass().getName()
                            + " threw; the client carries on (later failures of this listener are not logged)",
                    e);
        }
    }
}
