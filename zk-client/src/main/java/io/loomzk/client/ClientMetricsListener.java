package io.loomzk.client;

import io.loomzk.protocol.OpCode;
import java.net.InetSocketAddress;

/**
 * Facts about a client's work, for metrics: the same facts the client's JDK Flight Recorder
 * events carry (see the README's "Running in production"), without any dependency. Set one with
 * {@link ZkClientBuilder#metricsListener}; the optional {@code zk-micrometer} module turns them
 * into Micrometer meters.
 *
 * <p>Every method has an empty default. They are called on the thread that did the work (the
 * caller's, for a call; the session's, for a connection attempt or a re-arm; the state channel's,
 * for a state change), never while the client holds one of its locks, so a listener may take its
 * own locks, but it must be quick: a call's caller waits for {@link #callCompleted} to return. A
 * listener that throws is logged once at WARNING (later throws are not logged) and the client
 * carries on. The listener must be thread-safe: calls complete on many threads at once.
 */
public interface ClientMetricsListener {
    /** A call is about to wait for a connection and be sent (its {@link #callCompleted} follows). */
    default void callStarted(OpCode op) {}

    /**
     * A call ended.
     *
     * @param op the operation ({@code MULTI} for a transaction)
     * @param outcome {@code "OK"}; a server error's {@code ErrorCode} name (such as
     *     {@code "NO_NODE"}, {@code "NODE_EXISTS"}, {@code "BAD_VERSION"}); or what ended it on the
     *     client: {@code "CONNECTION_LOSS"}, {@code "REQUEST_TIMEOUT"}, {@code "REPLY_TOO_LARGE"},
     *     {@code "INTERRUPTED"}, {@code "EXPIRED"}, {@code "AUTH_FAILED"}, {@code "CLOSED"}. A
     *     closed set of constant strings, fit for a metric tag.
     * @param nanos how long it took, waiting for a connection included
     */
    default void callCompleted(OpCode op, String outcome, long nanos) {}

    /**
     * A connection attempt ended (TCP connect and handshake).
     *
     * @param outcome {@code "OK"} if the server answered the handshake (it may still have refused
     *     the session), else the simple name of the exception that ended it, such as
     *     {@code "ConnectException"} or {@code "SocketTimeoutException"}
     */
    default void connectionAttempt(InetSocketAddress server, String outcome, long nanos) {}

    /** The session's state changed, in order (called on the client's state thread). */
    default void stateChanged(SessionState state) {}

    /**
     * The session's watches were set again on a new connection.
     *
     * @param watches how many (kind, path) watches were sent
     * @param requests in how many requests (each under the frame limit)
     * @param nanos how long building and queueing them took (the replies are not awaited)
     */
    default void watchesRearmed(int watches, int requests, long nanos) {}

    /**
     * A consumer falls behind: a {@link PersistentWatch} whose events were not drained for the
     * builder's {@link ZkClientBuilder#slowConsumerWarning slowConsumerWarning} period (or that
     * holds half of its {@linkplain ZkClientBuilder#watchBufferCapacity count} or
     * {@linkplain ZkClientBuilder#watchBufferBytes byte} bound), or a session state listener
     * still busy, or with state changes waiting, after that period. Reported once per backlog
     * until it drains, on the client's watchdog thread; the client also logs a WARNING naming the
     * path.
     *
     * @param kind {@code "PERSISTENT_WATCH"} or {@code "STATE_LISTENER"}
     * @param path the watch's path as the application named it (without the chroot), or the
     *     state listener's class name
     * @param backlog how many events wait
     * @param backlogBytes an estimate of the bytes they hold (0 for state changes)
     * @param stalledNanos how long the backlog had gone without draining
     */
    default void slowConsumer(String kind, String path, int backlog, long backlogBytes, long stalledNanos) {}
}
