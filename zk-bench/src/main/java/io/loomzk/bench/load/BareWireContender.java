package io.loomzk.bench.load;

import io.loomzk.protocol.ConnectRequest;
import io.loomzk.protocol.ConnectResponse;
import io.loomzk.protocol.Decoder;
import io.loomzk.protocol.Frames;
import io.loomzk.protocol.GetDataRequest;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.ReplyHeader;
import io.loomzk.protocol.Request;
import io.loomzk.protocol.SetDataRequest;
import io.loomzk.protocol.Xids;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Not a client: a reference for what the server gives one connection when the client costs next
 * to nothing. One session on one socket, driven by one platform thread that reads replies, looks
 * at nothing but their header, and in the same pass encodes the next requests into one buffer
 * and writes it once. It keeps as many requests in flight as there are callers, decodes no
 * reply body, keeps no timers and no watches, and has no failure handling beyond ending the
 * run. It is not a strict bound (the server's own pace moves from slice to slice, and a real
 * client has beaten it in short runs), but over a long run no client on one connection should
 * do much better, so it shows which of the other rows' ratios the server leaves room for.
 */
final class BareWireContender extends Contender {
    private static final int MAX_FRAME_BYTES = 16 << 20;
    /** The loop pings when it heard nothing for this long (the session must not expire between slices). */
    private static final int IDLE_MILLIS = 2000;

    private static final byte[] PING = Frames.request(Xids.PING, OpCode.PING, null);

    private final ReentrantLock lock = new ReentrantLock();
    /** Chains waiting for a reply, in the order their requests were written. Guarded by lock. */
    private final ArrayDeque<Chain> inFlight = new ArrayDeque<>();
    /** Encoded requests not written yet. Guarded by lock. */
    private byte[] outBuf = new byte[64 * 1024];

    private int outLen;
    private int nextXid = 1;

    private volatile Socket socket;
    private volatile Thread loop;
    private volatile boolean closing;

    @Override
    String id() {
        return "bare-wire";
    }

    @Override
    String label() {
        return "bare wire";
    }

    @Override
    boolean isReference() {
        return true;
    }

    @Override
    boolean supports(Workload w) {
        return w == Workload.GET_DATA || w == Workload.SET_DATA || w == Workload.MIX;
    }

    @Override
    boolean isAsync() {
        return true;
    }

    @Override
    void open(String connectString, Duration sessionTimeout) throws IOException {
        String first = connectString.split(",")[0].trim();
        int colon = first.lastIndexOf(':');
        InetSocketAddress server =
                new InetSocketAddress(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)));
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(server, 10_000);
            s.setSoTimeout(10_000);
            BenchTls tls = BenchTls.current();
            if (tls != null) {
                s = tls.wrap(s, server.getHostString(), server.getPort());
            }
            int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, sessionTimeout.toMillis());
            s.getOutputStream()
                    .write(Frames.connectRequest(new ConnectRequest(0, 0, timeoutMillis, 0, new byte[16], false)));
            DataInputStream din = new DataInputStream(s.getInputStream());
            byte[] prefix = new byte[Frames.LENGTH_BYTES];
            din.readFully(prefix);
            int length = Frames.readLength(prefix, 0, MAX_FRAME_BYTES);
            byte[] body = new byte[length];
            din.readFully(body);
            ConnectResponse response = ConnectResponse.read(new Decoder(MAX_FRAME_BYTES).reset(body, 0, length));
            if (response.sessionId() == 0 || response.timeOut() <= 0) {
                throw new IOException("the server refused the session");
            }
            s.setSoTimeout(IDLE_MILLIS);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        Socket opened = s;
        socket = opened;
        closing = false;
        Thread t = Thread.ofPlatform().daemon().name("bare-wire-loop").unstarted(() -> readLoop(opened));
        loop = t;
        t.start();
    }

    @Override
    void close() {
        Socket s = socket;
        if (s == null) {
            return;
        }
        closing = true;
        lock.lock();
        try {
            append(nextXid++, OpCode.CLOSE_SESSION, null);
            flush();
        } catch (IOException e) {
            // closing anyway
        } finally {
            lock.unlock();
        }
        try {
            loop.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(s);
        failAll(new IOException("closed"));
        socket = null;
    }

    @Override
    AsyncOp asyncOp(Workload w, BenchTree tree, int chain) {
        return new Chain(w, tree);
    }

    /** The read loop: take every reply that arrived, start each chain's next op, write once. */
    private void readLoop(Socket s) {
        byte[] buf = new byte[256 * 1024];
        int have = 0;
        try {
            InputStream in = s.getInputStream();
            while (true) {
                int n;
                try {
                    n = in.read(buf, have, buf.length - have);
                } catch (SocketTimeoutException idle) {
                    lock.lock();
                    try {
                        write(PING, PING.length);
                    } finally {
                        lock.unlock();
                    }
                    continue;
                }
                if (n < 0) {
                    break;
                }
                have += n;
                int off = 0;
                while (have - off >= Frames.LENGTH_BYTES) {
                    int length = Frames.readLength(buf, off, MAX_FRAME_BYTES);
                    if (have - off - Frames.LENGTH_BYTES < length) {
                        if (Frames.LENGTH_BYTES + length > buf.length) {
                            buf = Arrays.copyOf(buf, Frames.LENGTH_BYTES + length);
                        }
                        break;
                    }
                    int xid = intAt(buf, off + Frames.LENGTH_BYTES);
                    int err = intAt(buf, off + Frames.LENGTH_BYTES + ReplyHeader.SIZE - 4);
                    off += Frames.LENGTH_BYTES + length;
                    if (xid == Xids.PING || xid == Xids.NOTIFICATION) {
                        continue;
                    }
                    Chain done = pollInFlight();
                    if (done == null) {
                        continue; // the close-session reply; the server closes the socket next
                    }
                    if (err == 0) {
                        done.done.run(); // starts the chain's next op: appended, written below
                    } else {
                        done.failed.accept(new IOException("server error " + err));
                    }
                }
                System.arraycopy(buf, off, buf, 0, have - off);
                have -= off;
                lock.lock();
                try {
                    flush();
                } finally {
                    lock.unlock();
                }
            }
        } catch (IOException e) {
            if (!closing) {
                failAll(e);
            }
        } finally {
            if (!closing) {
                failAll(new IOException("the server closed the connection"));
            }
        }
    }

    private void failAll(IOException cause) {
        for (Chain c = pollInFlight(); c != null; c = pollInFlight()) {
            c.failed.accept(cause);
        }
    }

    /** The chain whose request was written first and not yet answered, taken; null if none. */
    private Chain pollInFlight() {
        lock.lock();
        try {
            return inFlight.poll();
        } finally {
            lock.unlock();
        }
    }

    /** Encodes one request into the out buffer. Lock held. */
    private void append(int xid, OpCode op, Request body) {
        int need = outLen + Frames.requestFrameBytes(body);
        if (need > outBuf.length) {
            outBuf = Arrays.copyOf(outBuf, Math.max(need, outBuf.length * 2));
        }
        outLen = Frames.writeRequest(outBuf, outLen, xid, op, body);
    }

    /** Writes the out buffer. Lock held. */
    private void flush() throws IOException {
        if (outLen > 0) {
            write(outBuf, outLen);
            outLen = 0;
        }
    }

    private void write(byte[] bytes, int length) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes, 0, length);
    }

    private static int intAt(byte[] b, int off) {
        return (b[off] << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /** One chain: its requests are built once and reused. */
    private final class Chain implements AsyncOp {
        private final Workload workload;
        private final GetDataRequest read;
        private final SetDataRequest write;
        private final SetDataRequest mixWrite;
        Runnable done;
        Consumer<Throwable> failed;

        Chain(Workload workload, BenchTree tree) {
            this.workload = workload;
            this.read = new GetDataRequest(tree.readPath(), false);
            this.write = new SetDataRequest(tree.writePath(), tree.data(), -1);
            this.mixWrite = new SetDataRequest(tree.readPath(), tree.data(), -1);
        }

        @Override
        public void start(Runnable done, Consumer<Throwable> failed) {
            this.done = done;
            this.failed = failed;
            boolean readOp = workload == Workload.GET_DATA
                    || (workload == Workload.MIX && ThreadLocalRandom.current().nextInt(10) != 0);
            lock.lock();
            try {
                if (closing || socket == null) {
                    throw new IllegalStateException("closed");
                }
                if (readOp) {
                    append(nextXid++, OpCode.GET_DATA, read);
                } else {
                    append(nextXid++, OpCode.SET_DATA, workload == Workload.MIX ? mixWrite : write);
                }
                inFlight.add(this);
                if (Thread.currentThread() != loop) {
                    flush(); // the loop writes what its own pass appended once the pass is done
                }
            } catch (IOException e) {
                closeQuietly(socket); // the loop's read fails next and fails every chain in flight
            } finally {
                lock.unlock();
            }
        }
    }
}
