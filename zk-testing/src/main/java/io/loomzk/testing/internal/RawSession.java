package io.loomzk.testing.internal;

import io.loomzk.protocol.ACL;
import io.loomzk.protocol.ConnectRequest;
import io.loomzk.protocol.ConnectResponse;
import io.loomzk.protocol.Decoder;
import io.loomzk.protocol.ErrorCode;
import io.loomzk.protocol.Frames;
import io.loomzk.protocol.Id;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.Perms;
import io.loomzk.protocol.ProtocolException;
import io.loomzk.protocol.ReplyHeader;
import io.loomzk.protocol.Request;
import io.loomzk.protocol.WireRecord;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking ZooKeeper session over raw zk-protocol frames, one request at a time: what
 * the kit itself needs (create a chroot, close or expire a session) without any client library.
 *
 * <p>Not thread-safe: one thread drives it. Every read has a socket timeout.
 */
public final class RawSession implements AutoCloseable {
    /** The ACL anyone may do anything with: {@code world:anyone}, all permissions. */
    public static final List<ACL> OPEN_ACL = List.of(new ACL(Perms.ALL, new Id("world", "anyone")));

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final Decoder decoder = new Decoder();
    private final ConnectResponse handshake;
    private int nextXid = 1;

    private RawSession(Socket socket, ConnectResponse handshake) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.handshake = handshake;
    }

    /** The reply to one request: its header, and its body when {@code err} is 0 and the op has one. */
    public record Reply(ReplyHeader header, WireRecord body) {
        /** The result code. */
        public ErrorCode error() {
            return ErrorCode.of(header.err());
        }
    }

    /**
     * Connects to the first reachable host of {@code connectString} (a chroot suffix is ignored)
     * and performs the handshake: a new session when {@code sessionId} is 0, else a reattachment.
     *
     * @throws IOException if no host can be reached or the handshake fails
     */
    public static RawSession connect(String connectString, long sessionId, byte[] password, Duration timeout)
            throws IOException {
        IOException failure = null;
        for (InetSocketAddress address : hosts(connectString)) {
            try {
                return connect(address, sessionId, password, timeout);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw failure != null ? failure : new IOException("no host in connect string " + connectString);
    }

    private static RawSession connect(InetSocketAddress address, long sessionId, byte[] password, Duration timeout)
            throws IOException {
        int millis = (int) Math.max(1, timeout.toMillis());
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(address, millis);
            socket.setSoTimeout(millis);
            socket.getOutputStream()
                    .write(Frames.connectRequest(new ConnectRequest(0, 0, millis, sessionId, password.clone(), false)));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            ConnectResponse response = ConnectResponse.read(readFrame(in, new Decoder()));
            return new RawSession(socket, response);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The server's answer to the handshake. */
    public ConnectResponse handshake() {
        return handshake;
    }

    /** Whether the server refused the session as expired or unknown (a timeout of 0 or less). */
    public boolean isExpired() {
        return handshake.timeOut() <= 0;
    }

    /**
     * Sends one request and waits for its reply, skipping notifications and pings in between.
     *
     * @throws IOException on a socket error, a timeout, or a malformed frame
     */
    public Reply call(OpCode op, Request body) throws IOException {
        int xid = nextXid++;
        out.write(Frames.request(xid, op, body));
        out.flush();
        while (true) {
            Decoder frame = readFrame(in, decoder);
            ReplyHeader header = ReplyHeader.read(frame);
            if (header.xid() == xid) {
                WireRecord reply = header.err() == 0 ? Frames.readReplyBody(op, frame) : null;
                return new Reply(header, reply);
            }
            if (header.xid() >= 0) {
                throw new ProtocolException("reply to xid " + header.xid() + " while waiting for " + xid);
            }
        }
    }

    /** Closes the socket (not the session: see {@link OpCode#CLOSE_SESSION}). */
    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** The hosts of a connect string, chroot removed. */
    public static List<InetSocketAddress> hosts(String connectString) {
        int slash = connectString.indexOf('/');
        String hostList = slash >= 0 ? connectString.substring(0, slash) : connectString;
        List<InetSocketAddress> hosts = new ArrayList<>();
        for (String host : hostList.split(",")) {
            String h = host.trim();
            if (h.isEmpty()) {
                continue;
            }
            int colon = h.lastIndexOf(':');
            if (colon < 0) {
                hosts.add(InetSocketAddress.createUnresolved(h, 2181));
            } else {
                String name = h.substring(0, colon).replace("[", "").replace("]", "");
                hosts.add(new InetSocketAddress(name, Integer.parseInt(h.substring(colon + 1))));
            }
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no host in connect string \"" + connectString + "\"");
        }
        return hosts;
    }

    private static Decoder readFrame(DataInputStream in, Decoder decoder) throws IOException {
        byte[] prefix = new byte[Frames.LENGTH_BYTES];
        in.readFully(prefix);
        int length = Frames.readLength(prefix, 0, decoder.maxFrameBytes());
        byte[] body = new byte[length];
        in.readFully(body);
        return decoder.reset(body, 0, length);
    }
}
