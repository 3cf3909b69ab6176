package io.loomzk.client.internal;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * The client's JDK Flight Recorder events (category "LoomZK"). With no recording running, or with
 * an event disabled, {@code enabled()} is one read of a flag the JVM keeps, and nothing is
 * allocated. Names and fields are listed in the README's "Running in production".
 */
public final class JfrEvents {
    private JfrEvents() {}

    // Only ClientEvents calls these, and only when the jdk.jfr module is present: nothing outside
    // this class names an event class, so a runtime without jdk.jfr never loads one.
    //
    // Nor does a runtime whose flight recorder has not started: no recording can enable an event
    // before it starts, and loading an event class registers it with the recorder (its metadata,
    // an annotation proxy per annotation type), about 0.1 s that a short-lived program such as the
    // shell would pay on its first call. Once a recording is created (at start-up or later,
    // through jcmd or the API), the recorder is up and the event classes load on the next check.

    /** Whether the flight recorder has started; a read of a volatile flag. */
    private static boolean recorderUp() {
        return FlightRecorder.isInitialized();
    }

    static boolean callEnabled() {
        return recorderUp() && CallEvent.enabled();
    }

    /** A begun call event. */
    static Object beginCall() {
        CallEvent event = new CallEvent();
        event.begin();
        return event;
    }

    static void endCall(Object begun, String operation, String path, int bytesOut, String outcome, boolean waited) {
        CallEvent event = (CallEvent) begun;
        event.end();
        if (event.shouldCommit()) {
            event.operation = operation;
            event.path = path;
            event.bytesOut = bytesOut;
            event.outcome = outcome;
            event.waitedForConnection = waited;
            event.commit();
        }
    }

    static boolean sessionEnabled() {
        return recorderUp() && (ConnectionAttemptEvent.enabled() || RearmEvent.enabled());
    }

    static void attempt(String server, long sessionId, String outcome, long nanos) {
        if (recorderUp() && ConnectionAttemptEvent.enabled()) {
            ConnectionAttemptEvent event = new ConnectionAttemptEvent();
            event.server = server;
            event.sessionId = sessionId;
            event.outcome = outcome;
            event.millis = nanos / 1_000_000.0;
            event.commit();
        }
    }

    static void rearm(long sessionId, int watches, int requests) {
        if (recorderUp() && RearmEvent.enabled()) {
            RearmEvent event = new RearmEvent();
            event.sessionId = sessionId;
            event.watches = watches;
            event.requests = requests;
            event.commit();
        }
    }

    static void state(String client, String previous, String state) {
        if (recorderUp() && StateEvent.enabled()) {
            StateEvent event = new StateEvent();
            event.client = client;
            event.previous = previous;
            event.state = state;
            event.commit();
        }
    }

    static void slowConsumer(String kind, String path, int events, long bytes, long stalledNanos) {
        if (SlowConsumerEvent.enabled()) {
            SlowConsumerEvent event = new SlowConsumerEvent();
            event.kind = kind;
            event.path = path;
            event.backlog = events;
            event.backlogBytes = bytes;
            event.stalledMillis = stalledNanos / 1_000_000.0;
            event.commit();
        }
    }

    /**
     * One call, from its start (waiting for a connection included) to its outcome. Recorded by
     * default only when it took 20 ms or more, like the JDK's socket events; set its threshold to
     * 0 ms to record every call.
     */
    @Name("io.loomzk.Call")
    @Label("ZooKeeper Call")
    @Category({"LoomZK"})
    @Description("One call of a LoomZK client: operation, path, request size, outcome")
    @StackTrace(false)
    @Threshold("20 ms")
    public static final class CallEvent extends jdk.jfr.Event {
        private static final CallEvent PROBE = new CallEvent();

        @Label("Operation")
        String operation;

        @Label("Path")
        @Description("The path the request names, as sent (with the chroot); null for none")
        String path;

        @Label("Bytes Out")
        @DataAmount
        int bytesOut;

        @Label("Outcome")
        @Description("OK, a server error's name, or CONNECTION_LOSS, REQUEST_TIMEOUT, REPLY_TOO_LARGE,"
                + " INTERRUPTED, EXPIRED, AUTH_FAILED, CLOSED")
        String outcome;

        @Label("Waited For Connection")
        @Description("Whether no connection was ready when the call began")
        boolean waitedForConnection;

        /** Whether a recording enables this event now (no allocation). */
        static boolean enabled() {
            return PROBE.isEnabled();
        }
    }

    /** One connection attempt: TCP connect and handshake. */
    @Name("io.loomzk.ConnectionAttempt")
    @Label("ZooKeeper Connection Attempt")
    @Category({"LoomZK"})
    @StackTrace(false)
    public static final class ConnectionAttemptEvent extends jdk.jfr.Event {
        private static final ConnectionAttemptEvent PROBE = new ConnectionAttemptEvent();

        @Label("Server")
        String server;

        @Label("Session Id")
        @Description("The session the attempt asked to resume; 0 for a new one")
        long sessionId;

        @Label("Outcome")
        @Description("OK if the server answered the handshake, else the exception's simple name")
        String outcome;

        @Label("Duration (ms)")
        double millis;

        static boolean enabled() {
            return PROBE.isEnabled();
        }
    }

    /** A session state change, as the client publishes it. */
    @Name("io.loomzk.SessionState")
    @Label("ZooKeeper Session State")
    @Category({"LoomZK"})
    @StackTrace(false)
    public static final class StateEvent extends jdk.jfr.Event {
        private static final StateEvent PROBE = new StateEvent();

        @Label("Client")
        @Description("The client's state channel (an identity hash, as in its thread names)")
        String client;

        @Label("Previous")
        String previous;

        @Label("State")
        String state;

        static boolean enabled() {
            return PROBE.isEnabled();
        }
    }

    /** The session's watches set again on a new connection. */
    @Name("io.loomzk.WatchRearm")
    @Label("ZooKeeper Watch Re-arm")
    @Category({"LoomZK"})
    @StackTrace(false)
    public static final class RearmEvent extends jdk.jfr.Event {
        private static final RearmEvent PROBE = new RearmEvent();

        @Label("Session Id")
        long sessionId;

        @Label("Watches")
        int watches;

        @Label("Requests")
        int requests;

        static boolean enabled() {
            return PROBE.isEnabled();
        }
    }

    /** A consumer fell behind: reported once per backlog until it drains. */
    @Name("io.loomzk.SlowConsumer")
    @Label("ZooKeeper Slow Consumer")
    @Category({"LoomZK"})
    @Description("A persistent watch's consumer or a session state listener whose backlog did not drain")
    @StackTrace(false)
    public static final class SlowConsumerEvent extends jdk.jfr.Event {
        private static final SlowConsumerEvent PROBE = new SlowConsumerEvent();

        @Label("Kind")
        @Description("PERSISTENT_WATCH or STATE_LISTENER")
        String kind;

        @Label("Path")
        @Description("The watch's path as the application named it; the listener's class for a state listener")
        String path;

        @Label("Backlog")
        @Description("Events waiting")
        int backlog;

        @Label("Backlog Bytes")
        @Description("Estimated bytes the waiting events hold")
        @DataAmount
        long backlogBytes;

        @Label("Stalled (ms)")
        @Description("How long the backlog had gone without draining")
        double stalledMillis;

        static boolean enabled() {
            return PROBE.isEnabled();
        }
    }
}
