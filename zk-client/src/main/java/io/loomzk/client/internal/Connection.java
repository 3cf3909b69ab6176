package io.loomzk.client.internal;

import io.loomzk.protocol.ConnectRequest;
import io.loomzk.protocol.ConnectResponse;
import io.loomzk.protocol.Decoder;
import io.loomzk.protocol.Encoding;
import io.loomzk.protocol.Frames;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.ProtocolException;
import io.loomzk.protocol.ReplyHeader;
import io.loomzk.protocol.WatcherEvent;
import io.loomzk.protocol.Xids;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One TCP connection to one server, after a successful handshake: a reader virtual thread that
 * dispatches replies by xid, a writer virtual thread that numbers calls and batches their frames
 * into socket writes (or, when the connection has nothing in flight, the caller itself: see
 * {@link #submit}), and a ticker virtual thread that keeps time for all of them: it asks the
 * writer for a ping when nothing was sent for half the read timeout, closes the connection when
 * nothing was received for the whole read timeout, and fails calls whose deadline has passed.
 * The reader and writer never arm a timer themselves. See the package documentation for the
 * invariants.
 */
public final class Connection {
    /** What a connection tells its session. Called on the reader thread: must not block. */
    interface Listener {
        /** A watch notification arrived. */
        void onNotification(WatcherEvent event, long zxid);

        /** A reply carried this zxid (greater than 0). */
        void onZxid(long zxid);

        /** A reply carried a code that ends or moves the session (expired, moved, auth). */
        void onSessionError(int code);

        /** The connection closed; {@code cause} is why (null after a clean close). */
        void onClosed(Connection connection, Throwable cause);
    }

    private static final int IO_BUFFER_BYTES = 64 * 1024;
    /** The writer keeps a list of taken calls up to this long between batches. */
    private static final int MAX_KEPT_TAKEN = 4096;

    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long MAX_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final byte[] PING_FRAME = Frames.request(Xids.PING, OpCode.PING, null);
    private static final VarHandle CLOSED = Handles.field(MethodHandles.lookup(), "closed", boolean.class);
    private static final VarHandle WRITING = Handles.field(MethodHandles.lookup(), "writing", boolean.class);
    /**
     * A caller writes its own frame only up to this size: with nothing in flight, the server has
     * read and acknowledged every byte sent before, so the socket's send buffer is empty and a
     * write this small goes straight into it without blocking.
     */
    private static final int DIRECT_WRITE_BYTES = 4096;

    /** The socket read and written: {@link #transport} itself, or the TLS socket over it. */
    private final Socket socket;
    /**
     * The TCP socket under {@link #socket}. Closing it first unblocks a writer stuck in a TLS
     * write (a TLS socket's {@code close()} would wait for that writer's lock to send its
     * close_notify) and the reader at once.
     */
    private final Socket transport;

    private final InputStream in;
    private final OutputStream out;
    private final String name;
    private final ConnectResponse handshake;
    private final InetSocketAddress server;
    private final Listener listener;
    private final int maxFrameBytes;
    private final long readTimeoutNanos;
    private final long pingIntervalNanos;
    private final long tickNanos;

    /** Calls waiting for the writer. Producers: any caller. Consumer: the writer. */
    private final OutboundStack outbound = new OutboundStack();
    /** Numbered calls, in wire order. Producer: the writer. Consumer: the reader. */
    private final PendingList pending = new PendingList();
    /** Written auth packets: their replies come out of band, in order among themselves. */
    private final ConcurrentLinkedQueue<Call<?>> pendingAuth = new ConcurrentLinkedQueue<>();

    private volatile boolean closed;
    /**
     * The right to write: whoever sets it (the writer, or a caller writing its own frame) numbers
     * calls, registers them as pending and writes to the socket, and is the only one doing so
     * until it clears it. {@link #nextXid}, {@link #batch}, {@link #taken} and the pending list's
     * tail belong to its holder.
     */
    private volatile boolean writing;

    private volatile boolean writerParked;
    /** Set by the ticker, cleared by the writer: send a ping. */
    private volatile boolean pingDue;
    /** Set by the session while SASL runs: the ticker asks for no ping. */
    private volatile boolean pingsHeld;

    private volatile Throwable closeCause;
    /**
     * When the server last answered this client (a reply or a ping reply; the handshake counts).
     * Watch notifications do not count: they do not prove the server still hears this client,
     * and the server's session clock runs on what it hears.
     */
    private volatile long lastReplyNanos = System.nanoTime();

    private volatile long lastSentNanos = System.nanoTime();
    private Thread reader;
    private Thread writer;
    private Thread ticker;
    /** Owned by the holder of {@link #writing}. */
    private int nextXid;
    /** Frames on their way into one socket write. Owned by the holder of {@link #writing}. */
    private final byte[] batch = new byte[IO_BUFFER_BYTES];
    /** The calls of one batch. Owned by the holder of {@link #writing}. */
    private Call<?>[] taken = new Call<?>[64];

    private Connection(
            Socket socket,
            Socket transport,
            InetSocketAddress server,
            ConnectResponse handshake,
            String name,
            Listener listener,
            int maxFrameBytes,
            int initialXid,
            int requestedTimeoutMillis)
            throws IOException {
        this.socket = socket;
        this.transport = transport;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.server = server;
        this.handshake = handshake;
        this.name = name;
        this.listener = listener;
        this.maxFrameBytes = maxFrameBytes;
        // silence is judged by the timeout granted, but never by more than the client asked for:
        // a server that grants weeks and then goes quiet must not hold the session that long
        int timeout = Math.min(handshake.timeOut(), Math.max(1, requestedTimeoutMillis));
        this.readTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, timeout * 2L / 3));
        this.pingIntervalNanos = readTimeoutNanos / 2;
        this.tickNanos = Math.clamp(readTimeoutNanos / 10, MIN_TICK_NANOS, MAX_TICK_NANOS);
        this.nextXid = initialXid > 0 ? initialXid : 1;
        socket.setSoTimeout(0); // the ticker watches for silence; reads arm no timer
    }

    /**
     * Connects {@code socket} to {@code server} (through the transport's dialer, and TLS if
     * configured) and performs the handshake, all before one {@link System#nanoTime()} deadline:
     * the connect and the TLS handshake get what is left of it, and every read
     * of the reply gets what is left of it then, so a server that answers a byte at a time cannot
     * stretch the attempt. Closing {@code socket} from another thread ends the attempt at once.
     *
     * @param socket a fresh, unconnected socket from {@code transport}; closed if the attempt fails
     * @param request the handshake request; its timeout bounds how long the connection waits in
     *     silence, whatever the server grants
     * @return the connection, not yet started, whose {@link #handshake()} the session inspects
     * @throws IOException if the server cannot be reached, closes the connection, answers with a
     *     malformed frame (a {@link ProtocolException}, e.g. a granted session without a
     *     password), does not answer in full before the deadline, or the socket is closed; a
     *     {@link TlsHandshakeFailure} if TLS failed for a reason it names
     */
    static Connection open(
            Transport transport,
            Socket socket,
            InetSocketAddress server,
            ConnectRequest request,
            long deadlineNanos,
            int maxFrameBytes,
            int initialXid,
            Listener listener)
            throws IOException {
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            Socket io = transport.connect(socket, server, deadlineNanos);
            io.getOutputStream().write(Frames.connectRequest(request));
            InputStream in = io.getInputStream();
            byte[] prefix = new byte[Frames.LENGTH_BYTES];
            readFully(io, in, prefix, deadlineNanos, server);
            int length = Frames.readLength(prefix, 0, maxFrameBytes);
            byte[] body = new byte[length];
            readFully(io, in, body, deadlineNanos, server);
            ConnectResponse response = ConnectResponse.read(new Decoder(maxFrameBytes).reset(body, 0, length));
            if (response.timeOut() > 0 && response.passwd() == null) {
                throw new ProtocolException("handshake reply from " + server + " grants session 0x"
                        + Long.toHexString(response.sessionId()) + " without a session password");
            }
            String name = Long.toHexString(response.sessionId()) + "@" + server.getPort();
            return new Connection(
                    io, socket, server, response, name, listener, maxFrameBytes, initialXid, request.timeOut());
        } catch (IOException e) {
            closeQuietly(socket);
            throw transport.failure(e, server);
        } catch (RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /** Reads {@code b} in full, each read timed by what is left before the deadline. */
    private static void readFully(Socket socket, InputStream in, byte[] b, long deadlineNanos, InetSocketAddress server)
            throws IOException {
        int n = 0;
        while (n < b.length) {
            socket.setSoTimeout(millisLeft(deadlineNanos, server));
            int r = in.read(b, n, b.length - n);
            if (r < 0) {
                throw new EOFException("server " + server + " closed the connection during the handshake");
            }
            n += r;
        }
    }

    /** What is left before the deadline, in whole milliseconds (at least 1: 0 means no timeout). */
    private static int millisLeft(long deadlineNanos, InetSocketAddress server) throws SocketTimeoutException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException(
                    "connecting to " + server + " and its handshake took longer than the attempt's" + " budget");
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999)));
    }

    /** Starts the reader, the writer and the ticker. */
    void start() {
        reader = Thread.ofVirtual().name("zk-reader-" + name).unstarted(this::readLoop);
        writer = Thread.ofVirtual().name("zk-writer-" + name).unstarted(this::writeLoop);
        ticker = Thread.ofVirtual().name("zk-ticker-" + name).unstarted(this::tickLoop);
        reader.start();
        writer.start();
        ticker.start();
    }

    /** The server's handshake reply. */
    ConnectResponse handshake() {
        return handshake;
    }

    /** The server this connection goes to. */
    InetSocketAddress server() {
        return server;
    }

    /** When the server last answered this client, in {@link System#nanoTime()} terms. */
    long lastReplyNanos() {
        return lastReplyNanos;
    }

    /**
     * Holds pings while {@code held} (the session's SASL exchange, before which a server that
     * requires SASL takes any other request as a reason to close the session). The read timeout
     * still applies.
     */
    void holdPings(boolean held) {
        pingsHeld = held;
    }

    /** Why the connection closed (null while open, or after a clean close of its own). */
    Throwable closeCause() {
        return closeCause;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Sends a call: queues it for the writer, or, when the connection has nothing in flight and
     * nobody is writing, writes its small frame on the calling thread, which spares a one-caller
     * round trip the hand-off to the writer thread and back. Either way numbering, registering and
     * writing happen under one holder of {@link #writing}, in submission order. If the connection
     * is closed, or closes before the call is taken, the call fails with connection loss and
     * {@code sent == false}: nothing reached the server, so the caller may safely try again on the
     * next connection.
     */
    public void submit(Call<?> call) {
        if (closed) {
            call.fail(Failure.connectionLoss(false, closeCause));
            return;
        }
        if (call.frameBytes <= DIRECT_WRITE_BYTES && nothingInFlight() && WRITING.compareAndSet(this, false, true)) {
            boolean written = false;
            try {
                if (nothingInFlight()) { // again, now that no one else can send
                    writeDirect(call);
                    written = true;
                }
            } finally {
                releaseWriting();
            }
            if (written) {
                return;
            }
        }
        outbound.push(call);
        if (closed) {
            failOutbound(closeCause);
        } else if (writerParked) {
            LockSupport.unpark(writer);
        }
    }

    /** Nothing waits for the writer and nothing written waits for a reply (snapshots). */
    private boolean nothingInFlight() {
        return outbound.isEmpty() && pending.first() == null && pendingAuth.isEmpty();
    }

    /**
     * Writes one call's frame on the caller's thread, the writer's job for a batch of one. A
     * failure to write closes the connection, which fails the call (it is registered by then).
     * Holder of {@link #writing} only.
     */
    private void writeDirect(Call<?> call) {
        try {
            if (!register(call)) {
                return; // timed out or given up already: not sent
            }
            if (closed) {
                failPending(closeCause);
                return;
            }
            out.write(batch, 0, call.encodeInto(batch, 0));
            lastSentNanos = System.nanoTime();
        } catch (Throwable t) {
            close(closed ? null : t);
        }
    }

    /**
     * Gives up the right to write, and wakes the writer if work arrived meanwhile that it could
     * not take (it parks while someone else writes).
     */
    private void releaseWriting() {
        writing = false;
        if ((!outbound.isEmpty() || pingDue) && writerParked) {
            LockSupport.unpark(writer);
        }
    }

    /** Closes the socket and fails every call still waiting; idempotent. */
    void close(Throwable cause) {
        if (!CLOSED.compareAndSet(this, false, true)) {
            return;
        }
        closeCause = cause;
        closeQuietly(transport);
        closeQuietly(socket);
        if (writer != null) {
            LockSupport.unpark(writer);
        }
        if (ticker != null && ticker != Thread.currentThread()) {
            ticker.interrupt();
        }
        failAll(cause);
        listener.onClosed(this, cause);
    }

    private void readLoop() {
        Throwable cause = null;
        try {
            FrameReader frames = new FrameReader();
            while (!closed) {
                frames.next();
            }
        } catch (Throwable t) {
            cause = closed ? null : t;
        } finally {
            close(cause);
        }
    }

    /**
     * Reads length-prefixed frames out of one reusable buffer and dispatches each. Owned by the
     * reader thread.
     */
    private final class FrameReader {
        /** The largest reply frame read; larger ones fail their call and are skipped. */
        private final int maxReplyBytes = Frames.maxReplyFrameBytes(maxFrameBytes);

        private byte[] buf = new byte[IO_BUFFER_BYTES];
        private int start;
        private int end;
        private final Decoder decoder = new Decoder(maxReplyBytes);

        void next() throws IOException {
            fillTo(Frames.LENGTH_BYTES);
            int announced = Encoding.getInt(buf, start);
            if (announced > maxReplyBytes) {
                skipOversized(announced);
                return;
            }
            int length = Frames.readLength(buf, start, maxReplyBytes); // rejects a negative length
            int total = Frames.LENGTH_BYTES + length;
            fillTo(total);
            dispatch(decoder.reset(buf, start + Frames.LENGTH_BYTES, length));
            start += total;
            if (start == end) {
                start = 0;
                end = 0;
                if (buf.length > 4 * IO_BUFFER_BYTES) {
                    buf = new byte[IO_BUFFER_BYTES]; // give back the room a huge frame needed
                }
            }
        }

        /**
         * A frame too large to read: its header says which call it answers; that call fails with
         * {@link Failure#replyTooLarge}, and the rest of the frame is read and dropped, a buffer
         * at a time, so the connection stays in step and up. A frame that answers no call (a
         * notification, a ping or auth reply) cannot be failed alone and closes the connection.
         */
        private void skipOversized(int length) throws IOException {
            fillTo(Frames.LENGTH_BYTES + ReplyHeader.SIZE);
            int at = start + Frames.LENGTH_BYTES;
            int xid = Encoding.getInt(buf, at);
            if (xid == Xids.NOTIFICATION || xid == Xids.PING || xid == Xids.AUTH) {
                throw new ProtocolException("frame length " + length + " exceeds the maximum reply size of "
                        + maxReplyBytes + " bytes, and the frame (xid " + xid + ") answers no call");
            }
            lastReplyNanos = System.nanoTime();
            failOversized(xid, Encoding.getLong(buf, at + 4), Encoding.getInt(buf, at + 12), length, maxReplyBytes);
            start += Frames.LENGTH_BYTES + ReplyHeader.SIZE;
            discard(length - ReplyHeader.SIZE);
        }

        /** Reads and drops the next {@code count} bytes of the stream. */
        private void discard(int count) throws IOException {
            int left = count;
            int buffered = end - start;
            if (buffered >= left) {
                start += left;
            } else {
                left -= buffered;
                start = 0;
                end = 0;
                while (left > 0) {
                    int n = in.read(buf, 0, buf.length);
                    if (n < 0) {
                        throw new EOFException("server " + server + " closed the connection");
                    }
                    if (n > left) {
                        start = left; // the next frame begins here
                        end = n;
                        left = 0;
                    } else {
                        left -= n;
                    }
                }
            }
            if (start == end) {
                start = 0;
                end = 0;
            }
        }

        private void fillTo(int needed) throws IOException {
            if (end - start >= needed) {
                return;
            }
            if (buf.length - start < needed) {
                byte[] target = buf.length < needed ? new byte[Math.max(needed, 2 * buf.length)] : buf;
                System.arraycopy(buf, start, target, 0, end - start);
                buf = target;
                end -= start;
                start = 0;
            }
            while (end - start < needed) {
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    throw new EOFException("server " + server + " closed the connection");
                }
                end += n;
            }
        }
    }

    private void dispatch(Decoder frame) throws ProtocolException {
        int xid = frame.readInt("ReplyHeader.xid");
        long zxid = frame.readLong("ReplyHeader.zxid");
        int err = frame.readInt("ReplyHeader.err");
        if (xid != Xids.NOTIFICATION) {
            lastReplyNanos = System.nanoTime();
        }
        switch (xid) {
            case Xids.NOTIFICATION -> listener.onNotification(WatcherEvent.read(frame), zxid);
            case Xids.PING -> {}
            case Xids.AUTH -> completeAuth(err);
            default -> completePending(xid, zxid, err, frame);
        }
    }

    private void completePending(int xid, long zxid, int err, Decoder frame) throws ProtocolException {
        Call<?> call = oldestPending(xid);
        // Decode while the call is still pending: if the body is malformed, the exception closes
        // the connection, and closing fails every pending call, this one included.
        if (err == 0) {
            call.readReply(frame);
        }
        complete(call, zxid, err, err != 0 ? Failure.server(err) : null);
    }

    /**
     * Fails the call a too-large reply answers: with the server's code if the header carries one
     * (the body does not matter then), otherwise with {@link Failure#replyTooLarge}.
     */
    private void failOversized(int xid, long zxid, int err, int length, int limit) throws ProtocolException {
        Call<?> call = oldestPending(xid);
        complete(call, zxid, err, err != 0 ? Failure.server(err) : Failure.replyTooLarge(length, limit));
    }

    /** The oldest pending call, which must be the one {@code xid} answers. */
    private Call<?> oldestPending(int xid) throws ProtocolException {
        Call<?> call = pending.first();
        if (call == null) {
            throw new ProtocolException("reply for xid " + xid + " while no request is pending");
        }
        if (call.xid != xid) {
            throw new ProtocolException("reply for xid " + xid + " while the oldest pending request is xid " + call.xid
                    + ": replies out of order");
        }
        return call;
    }

    /** Ends a pending call: with the reply it read when {@code failure} is null, else with it. */
    private void complete(Call<?> call, long zxid, int err, Failure failure) {
        if (!pending.removeFirst(call)) {
            return; // the connection is closing, and its closer took and failed the call
        }
        if (zxid > 0) {
            listener.onZxid(zxid);
        }
        if (err != 0 && SessionEnd.concernsSession(err)) {
            listener.onSessionError(err);
        }
        if (call.watch != null) {
            call.watch.onReply(err, call.isAbandoned());
        }
        if (failure == null) {
            call.succeed();
        } else {
            call.fail(failure);
        }
    }

    private void completeAuth(int err) {
        Call<?> call = pendingAuth.poll();
        if (call != null) {
            if (err == 0) {
                call.succeed();
            } else {
                call.fail(Failure.server(err));
            }
        }
        if (err != 0) {
            listener.onSessionError(err);
        }
    }

    private void writeLoop() {
        try {
            while (!closed) {
                if (WRITING.compareAndSet(this, false, true)) {
                    boolean wrote;
                    try {
                        wrote = writeQueued();
                    } finally {
                        writing = false;
                    }
                    if (wrote) {
                        continue;
                    }
                }
                writerParked = true; // then look at the work; a submitter does the opposite
                if (((outbound.isEmpty() && !pingDue) || writing) && !closed) {
                    LockSupport.park(this); // woken by submit(), a caller done writing, the ticker, or close()
                }
                writerParked = false;
            }
        } catch (Throwable t) {
            close(closed ? null : t);
        }
    }

    /**
     * Writes a due ping and every queued call, oldest first, in as few socket writes as the
     * batch allows. Holder of {@link #writing} only.
     *
     * @return whether there was anything to write
     */
    private boolean writeQueued() throws IOException {
        boolean wrote = false;
        if (pingDue) {
            pingDue = false;
            out.write(PING_FRAME);
            lastSentNanos = System.nanoTime();
            wrote = true;
        }
        Call<?> newest = outbound.takeAll();
        if (newest == null) {
            return wrote;
        }
        Call<?>[] taken = this.taken;
        int count = 0;
        for (Call<?> c = newest; c != null; ) {
            if (count == taken.length) {
                taken = Arrays.copyOf(taken, 2 * count);
            }
            taken[count++] = c;
            Call<?> older = c.nextOut;
            c.nextOut = null; // a call kept alive a while must not keep its batch alive
            c = older;
        }
        // Oldest first: number every call and publish it as pending before writing any,
        // so that while a write blocks, each of them is where the ticker looks.
        for (int i = count - 1; i >= 0; i--) {
            if (!register(taken[i])) {
                taken[i] = null;
            }
        }
        if (closed) {
            failPending(closeCause);
        }
        int n = 0;
        for (int i = count - 1; i >= 0; i--) {
            if (taken[i] != null) {
                n = encode(taken[i], batch, n);
                taken[i] = null;
            }
        }
        if (n > 0) {
            out.write(batch, 0, n);
        }
        // a burst of thousands of callers is over: give the room back
        this.taken = taken.length > MAX_KEPT_TAKEN ? new Call<?>[64] : taken;
        lastSentNanos = System.nanoTime();
        return true;
    }

    /**
     * Keeps time for the connection, a few times a second: silence for the read timeout closes
     * it; nothing sent for half of it asks the writer for a ping; calls past their deadline fail
     * with a timeout (their late replies are dropped when they come).
     */
    private void tickLoop() {
        try {
            while (!closed) {
                Thread.sleep(Duration.ofNanos(tickNanos));
                long now = System.nanoTime();
                if (now - lastReplyNanos > readTimeoutNanos) {
                    close(new SocketTimeoutException("no reply from " + server + " for the read timeout of "
                            + TimeUnit.NANOSECONDS.toMillis(readTimeoutNanos)
                            + " ms (two thirds of the session timeout)"));
                    return;
                }
                if (now - lastSentNanos >= pingIntervalNanos && !pingsHeld) {
                    pingDue = true;
                    LockSupport.unpark(writer);
                }
                outbound.forEach(call -> expireIfOverdue(call, now));
                pending.forEach(call -> expireIfOverdue(call, now));
                pendingAuth.forEach(call -> expireIfOverdue(call, now));
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    private static void expireIfOverdue(Call<?> call, long now) {
        if (call.isOverdue(now)) {
            call.fail(Failure.timeout(call.sent));
        }
    }

    /**
     * Numbers a call and publishes it as pending (auth packets have their own queue), unless it
     * already has an outcome: a call that timed out or was given up while it waited for the writer
     * is not sent at all, so that its caller's "not sent" holds.
     *
     * @return whether the call is to be written
     */
    private boolean register(Call<?> call) {
        call.sent = true; // then look at the outcome; the caller does the opposite (Call#await)
        if (call.isAbandoned()) {
            call.sent = false;
            return false;
        }
        if (call.xid == 0) {
            call.xid = nextXid();
        }
        if (call.xid == Xids.AUTH) {
            pendingAuth.offer(call);
        } else {
            pending.append(call);
        }
        return true;
    }

    /** Encodes a call's frame into the batch, writing the batch first if it is full. */
    private int encode(Call<?> call, byte[] batch, int n) throws IOException {
        if (n + call.frameBytes > batch.length && n > 0) {
            out.write(batch, 0, n);
            n = 0;
        }
        if (call.frameBytes > batch.length) {
            byte[] big = new byte[call.frameBytes];
            call.encodeInto(big, 0);
            out.write(big);
            return 0;
        }
        return call.encodeInto(batch, n);
    }

    /** The next xid, from 1 up to {@link Integer#MAX_VALUE}, then 1 again: never a reserved one. */
    private int nextXid() {
        int xid = nextXid;
        nextXid = xid == Integer.MAX_VALUE ? 1 : xid + 1;
        return xid;
    }

    private void failAll(Throwable cause) {
        failPending(cause);
        failOutbound(cause);
    }

    /** Fails the numbered calls: their bytes may have reached the server. */
    private void failPending(Throwable cause) {
        Call<?> call;
        while ((call = pending.poll()) != null) {
            call.fail(Failure.connectionLoss(true, cause));
        }
        while ((call = pendingAuth.poll()) != null) {
            call.fail(Failure.connectionLoss(true, cause));
        }
    }

    /** Fails the calls the writer has not taken: nothing of them reached the server. */
    private void failOutbound(Throwable cause) {
        for (Call<?> call = outbound.takeAll(); call != null; call = call.nextOut) {
            call.fail(Failure.connectionLoss(false, cause));
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with it
        }
    }

    @Override
    public String toString() {
        return "Connection[" + name + " to " + server + (closed ? ", closed" : "") + "]";
    }
}
