/**
 * The machinery behind {@link io.loomzk.client.ZkClient}: sessions, connections, pending calls
 * and watches. Not exported; nothing here is API.
 *
 * <h2>Connection invariants</h2>
 * <ol>
 *   <li>A {@link io.loomzk.client.internal.Connection} owns one socket, one reader virtual thread,
 *       one writer virtual thread, one outbound queue and one pending queue.
 *   <li>The reader loop is one try/finally; its {@code finally} closes the connection once and
 *       fails every pending and every not-yet-written call.
 *   <li>One frame: length, bounded read, {@code ReplyHeader}, switch on xid (notification, ping,
 *       auth, default: complete the pending call). Each branch is one call.
 *   <li>Replies to numbered requests come in order: the reply's xid must be the head of the
 *       pending queue's, or the connection is closed with a {@code ProtocolException}.
 *   <li>Only the writer assigns xids: it takes every queued call at once, numbers each and
 *       appends it to the pending queue, then encodes their frames into one buffer and writes it.
 *       So the pending queue is in wire order, and a call is registered before its bytes can
 *       reach the server. Both queues are linked through the calls themselves
 *       ({@link io.loomzk.client.internal.OutboundStack},
 *       {@link io.loomzk.client.internal.PendingList}): queueing a call allocates nothing.
 *   <li>No user code runs on the reader or the writer. Callers decode nothing and build their own
 *       exceptions; the reader only decodes, registers watches and completes calls.
 *   <li>A watch is registered before the reply that set it is completed, and notifications are
 *       handled on the same reader thread, so no notification can overtake its registration.
 *   <li>Deadlines are {@code System.nanoTime()} values. The read timeout is two thirds of the
 *       negotiated session timeout, never of more than the timeout asked for (the ticker watches
 *       for silence); the writer pings after half of it passes with nothing sent. A connection
 *       attempt (TCP connect and the whole handshake reply) has one deadline, and each of its
 *       reads gets what is left of it; closing the session closes the attempt's socket.
 *   <li>The {@link io.loomzk.client.internal.Session} loop is separate from the connection: pick a
 *       host, connect, handshake, replay auth, re-arm watches, publish the connection, wait for it
 *       to die, publish the state, back off. Expired, closed and auth-failed end it.
 *   <li>Server-side watches no local watch needs any more are removed by the session's unwatch
 *       thread (started when there is work, ended when there is none, awaited by close), never
 *       by the reader or the canceller.
 * </ol>
 *
 * <h2>How a call completes</h2>
 * A {@link io.loomzk.client.internal.Call} has one outcome slot, set once by compare-and-set:
 * the decoded reply, a failure, or "abandoned" when its caller gave up (timeout, interrupt).
 * Whoever wins the race decides; a reply to an abandoned call is read and dropped, so the byte
 * stream and the pending queue stay aligned and the connection stays up.
 *
 * <h2>Locks</h2>
 * No {@code synchronized}: {@code ReentrantLock} and lock-free queues only, so no virtual thread
 * pins its carrier. No lock is ever held across socket I/O: the writer is the only thread that
 * writes and the reader the only one that reads, so neither needs one.
 */
package io.loomzk.client.internal;
