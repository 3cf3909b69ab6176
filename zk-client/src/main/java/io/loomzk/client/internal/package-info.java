/**
 * The machinery behind {@link io.loomzk.client.ZkClient}: the call engine, the session loop,
 * connections, pending calls and watches. Not exported; nothing here is API.
 *
 * <h2>Who owns what</h2>
 * <ul>
 *   <li>{@link io.loomzk.client.internal.CallEngine} owns a call's life: size check, deadline,
 *       waiting for a connection (or not, when the client fails fast while disconnected),
 *       submission, sending again what never reached a server, and the outcome turned into the
 *       result or the {@code ZkException} built on the caller's thread ({@link
 *       io.loomzk.client.internal.Errors}). {@code ZkClient}'s verbs, {@code addAuth} and the
 *       session's watch removals all go through it; nothing else submits a numbered call.
 *   <li>{@link io.loomzk.client.internal.Session} owns the session loop, on its own virtual thread:
 *       pick a host, connect and shake hands (one deadline for both), decide on the handshake
 *       ({@link io.loomzk.client.internal.HandshakeVerdict}: adopt, try another, expired), authenticate with SASL when configured ({@link
 *       io.loomzk.client.internal.SaslExchange}: before any other request, pings held), replay
 *       credentials, re-arm watches ({@link
 *       io.loomzk.client.internal.WatchRearm}), publish the connection, serve until it dies
 *       (probing for a read-write server meanwhile when read-only, {@link
 *       io.loomzk.client.internal.ReadWriteProbe}), publish the state, back off
 *       ({@link io.loomzk.client.internal.ReconnectPolicy}). What the servers granted is one
 *       immutable {@link io.loomzk.client.internal.SessionInfo} that only the loop writes. The
 *       servers are one {@link io.loomzk.client.internal.HostList}, replaced whole when the
 *       application or the ensemble's configuration changes them ({@code updateHosts}).
 *   <li>The session loop also owns the {@link io.loomzk.client.internal.TakeoverGuard}, which decides
 *       from how its connections end that another process took the session over (then it gives
 *       the session up rather than take it back in a loop).
 *   <li>{@link io.loomzk.client.internal.ClientEvents} is where the engine, the loop and the state
 *       channel report what they did (flight-recorder events, {@link
 *       io.loomzk.client.ClientMetricsListener}); immutable, never called under a client lock, and
 *       with nobody watching it costs one flag read per call.
 *   <li>{@link io.loomzk.client.internal.Transport} opens a connection's socket: the
 *       application's {@code Dialer}, then TLS when configured (material re-read before every
 *       attempt), inside the attempt's one deadline.
 *   <li>A {@link io.loomzk.client.internal.Connection} owns one socket and three virtual threads:
 *       a reader, a writer, and a ticker that keeps time for all of them.
 *   <li>Every other thread a client starts is owned too: state listeners run on the
 *       {@link io.loomzk.client.internal.StateChannel}'s thread, and server-side watch removals on
 *       the session's unwatch thread (started when there is work, ended when there is none; never
 *       the reader or the canceller), one-off background jobs (a recipe's cleanup, the
 *       ensemble follower) on {@link io.loomzk.client.internal.Jobs}, interrupted at close;
 *       {@code close()} waits for all of them, bounded.
 * </ul>
 *
 * <h2>Connection invariants</h2>
 * <ol>
 *   <li>The reader loop is one try/finally; its {@code finally} closes the connection once and
 *       fails every pending and every not-yet-written call.
 *   <li>One frame: length, bounded read, {@code ReplyHeader}, switch on xid (notification, ping,
 *       auth, set-watches, default: complete the pending call). Each branch is one call. A reply
 *       larger than the limit fails only its own call ({@code ReplyTooLarge}) and its bytes are
 *       skipped; an oversized frame that answers no call closes the connection.
 *   <li>Replies to numbered requests come in order: the reply's xid must be the head of the
 *       pending queue's, or the connection is closed with a {@code ProtocolException}. Auth
 *       packets carry a fixed xid; their replies come in order among themselves, from a queue of
 *       their own.
 *   <li>Only the holder of a connection's right to write (a flag taken by compare-and-set)
 *       assigns xids, registers calls and writes. That is its writer thread, which takes every
 *       queued call at once, numbers each and appends it to the pending queue, then encodes their
 *       frames into one buffer and writes it; or a caller that finds nothing queued, nothing
 *       awaiting a reply and nobody writing, which does the same for its own small frame on its
 *       own thread (an empty socket buffer takes it without blocking) and spares the hand-off to
 *       the writer and back.
 *       So the pending queue is in wire order, and a call is registered before its bytes can
 *       reach the server. Both queues are linked through the calls themselves
 *       ({@link io.loomzk.client.internal.OutboundStack},
 *       {@link io.loomzk.client.internal.PendingList}): queueing a call allocates nothing.
 *   <li>No user code runs on the reader, the writer or the ticker. Callers decode nothing and
 *       build their own exceptions; the reader only decodes, registers watches and completes
 *       calls.
 *   <li>A watch is registered before the reply that set it is completed, and notifications are
 *       handled on the same reader thread, so no notification can overtake its registration.
 *   <li>Time is {@code System.nanoTime()}. A connection attempt has one deadline for TCP connect
 *       and handshake, each read timed by what is left of it, and {@code close()} ends an attempt
 *       in progress. Once connected, the socket has no read timeout: the ticker closes the
 *       connection when nothing has been read for two thirds of the session timeout (the one
 *       granted, but never more than the one asked for), asks the writer for a ping after half of
 *       that, and fails calls whose deadline passed.
 * </ol>
 *
 * <h2>How a call completes</h2>
 * A {@link io.loomzk.client.internal.Call Call&lt;T&gt;} ends exactly once, decided by one
 * compare-and-set on its state: with its reply (a {@code T}, which the reader decoded while the
 * call was still pending), with a {@link io.loomzk.client.internal.Failure} (a sealed set: server
 * error, connection lost, timed out, interrupted, session ended, reply too large), or abandoned by
 * its caller (interrupt). {@code await()} returns the reply or throws the failure; nothing is
 * cast. Whoever wins the race decides; a reply to an abandoned call is read and dropped, so the
 * byte stream and the pending queue stay aligned and the connection stays up. A failure says
 * whether the request's bytes may have reached the server; only the engine acts on that (a call
 * that never left is sent again as a fresh call, within its deadline). Which server codes end a
 * session is decided in one place, {@link io.loomzk.client.internal.SessionEnd}; a session's end
 * is one {@link io.loomzk.client.internal.Failure.SessionEnded} that the loop publishes.
 *
 * <h2>Locks</h2>
 * No {@code synchronized}: {@code ReentrantLock} and lock-free queues only, so no virtual thread
 * pins its carrier. No lock is ever held across socket I/O: one holder of the right to write
 * writes at a time, and the reader is the only one that reads. A thread that waits for that
 * right is the writer thread, which parks until the holder hands the work back.
 */
package io.loomzk.client.internal;
