/**
 * The ZooKeeper client wire protocol as Java records and a codec: no I/O, no dependencies.
 *
 * <h2>Records</h2>
 * One record per {@code zookeeper.jute} class the client side uses, with the jute name and its
 * fields in wire order, so a reviewer can diff a record against the jute file line by line.
 * Ints that carry codes stay raw ints ({@code ReplyHeader.err}, {@code WatcherEvent.type}), so an
 * unknown code from a newer server is kept as sent; {@link io.loomzk.protocol.ErrorCode#of},
 * {@link io.loomzk.protocol.EventType#of} and friends give the typed view. Records hold what they
 * are given: byte arrays and lists are not copied, so treat them as immutable. Lists a decoder
 * makes are unmodifiable. Strings, buffers and vectors may be null (jute writes length -1);
 * nested records may not. Records holding {@code byte[]} compare and hash by content and print
 * lengths only; passwords and credentials never print.
 *
 * <h2>Encoding</h2>
 * Every record knows its exact {@link io.loomzk.protocol.WireRecord#encodedSize() encoded size}
 * and writes itself into a byte array at an offset. {@link io.loomzk.protocol.Frames} sizes a
 * frame first and allocates exactly one array for it, length prefix included. A request body
 * does not carry its op code; the op code goes beside it, as on the wire, because jute reuses
 * one body for several op codes (see {@link io.loomzk.protocol.Request}).
 *
 * <h2>Decoding</h2>
 * A {@link io.loomzk.protocol.Decoder} reads one frame. Every length and count is checked
 * against what remains in the frame and against the maximum frame size before anything is
 * allocated, so hostile input cannot make it allocate more than the frame holds, run past the
 * end or loop without consuming bytes; anything malformed is a
 * {@link io.loomzk.protocol.ProtocolException} that names the field and the offset. Replies carry
 * no op code, so whoever sent a request keeps the {@link io.loomzk.protocol.ReplyReader} of its
 * reply ({@link io.loomzk.protocol.Frames#replyReader} maps op codes to them).
 *
 * <h2>Exactness</h2>
 * The bytes are Apache jute's, including its string encoding (each UTF-16 char on its own, see
 * {@link io.loomzk.protocol.Encoding}); the differential tests check every record both ways
 * against Apache's own classes.
 */
package io.loomzk.protocol;
