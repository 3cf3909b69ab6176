package io.loomzk.cli;

import io.loomzk.protocol.ConnectRequest;
import io.loomzk.protocol.ConnectResponse;
import io.loomzk.protocol.Decoder;
import io.loomzk.protocol.Encoding;
import io.loomzk.protocol.ErrorCode;
import io.loomzk.protocol.GetDataRequest;
import io.loomzk.protocol.GetDataResponse;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.ProtocolException;
import io.loomzk.protocol.ReplyHeader;
import io.loomzk.protocol.RequestHeader;
import io.loomzk.protocol.Stat;
import io.loomzk.protocol.WireRecord;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * The training run of the shell's AOT cache (JDK 25+, see {@code launch.sh}): runs the one-shot
 * commands people start most ({@code get} of a node and of a missing one, {@code ls},
 * {@code stat}) through {@link Main#run} against a stand-in server on the loopback interface, so
 * that the JVM records the classes, linkage and method profiles of exactly that path. It talks to
 * no real server and changes nothing anywhere; the launcher runs it in the background once per
 * build of the jar, with {@code -XX:AOTCacheOutput}.
 *
 * <p>The stand-in answers the handshake and {@code getData} (data "training" for every path but
 * {@code /missing}, which has no node), {@code ping} and {@code closeSession}, and any other
 * request with "unimplemented"; it serves one connection at a time and stops with the process.
 * Every socket read has a deadline. Exit status 0 if every command ran as expected, 1 if not
 * (then the launcher keeps no cache).
 */
public final class AotTraining {
    private AotTraining() {}

    /** How long the stand-in waits for a client's next frame before dropping the connection. */
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    public static void main(String[] args) throws IOException, InterruptedException {
        try (ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress())) {
            Thread serving = Thread.ofPlatform()
                    .name("loomzk-aot-training-server")
                    .daemon()
                    .start(() -> serve(server));
            String hosts = "127.0.0.1:" + server.getLocalPort();
            boolean ok = true;
            for (int round = 0; round < 2; round++) {
                ok &= run(0, "--connect", hosts, "get", "/a");
                ok &= run(ExitCode.NO_NODE.code(), "--connect", hosts, "get", "/missing");
                ok &= run(0, "--connect", hosts, "--json", "get", "/a");
                ok &= run(ExitCode.USAGE.code(), "--connect", hosts, "gte", "/a");
            }
            server.close();
            serving.join(READ_TIMEOUT_MILLIS);
            System.exit(ok ? 0 : 1);
        }
    }

    private static boolean run(int expected, String... args) {
        PrintWriter sink = new PrintWriter(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        int status = Main.run(args, sink, sink);
        if (status != expected) {
            System.err.println("training: " + String.join(" ", args) + " ended " + status + ", not " + expected);
            return false;
        }
        return true;
    }

    private static void serve(ServerSocket server) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(READ_TIMEOUT_MILLIS);
                converse(new DataInputStream(s.getInputStream()), new DataOutputStream(s.getOutputStream()));
            } catch (IOException | RuntimeException e) {
                // a closed server socket ends the loop; a dropped connection waits for the next
            }
        }
    }

    private static void converse(DataInputStream in, DataOutputStream out) throws IOException {
        ConnectRequest hello = ConnectRequest.read(Decoder.of(frame(in)));
        send(out, new ConnectResponse(0, hello.timeOut(), 0x10adL, new byte[16], false));
        long zxid = 1;
        while (true) {
            byte[] frame;
            try {
                frame = frame(in);
            } catch (SocketTimeoutException | java.io.EOFException e) {
                return;
            }
            Decoder d = Decoder.of(frame);
            RequestHeader header = RequestHeader.read(d);
            OpCode op = OpCode.of(header.type());
            if (op == OpCode.GET_DATA) {
                String path = GetDataRequest.read(d).path();
                if (path.endsWith("/missing")) {
                    send(out, new ReplyHeader(header.xid(), zxid, ErrorCode.NO_NODE.code()));
                } else {
                    byte[] data = "training".getBytes(StandardCharsets.UTF_8);
                    send(
                            out,
                            new ReplyHeader(header.xid(), zxid, 0),
                            new GetDataResponse(data, new Stat(1, 1, 0, 0, 0, 0, 0, 0, data.length, 0, 1)));
                }
            } else if (op == OpCode.PING || op == OpCode.CLOSE_SESSION) {
                send(out, new ReplyHeader(header.xid(), zxid, 0));
                if (op == OpCode.CLOSE_SESSION) {
                    return;
                }
            } else {
                send(out, new ReplyHeader(header.xid(), zxid, ErrorCode.UNIMPLEMENTED.code()));
            }
        }
    }

    private static byte[] frame(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 1 << 20) {
            throw new ProtocolException("frame of " + length + " bytes");
        }
        byte[] frame = new byte[length];
        in.readFully(frame);
        return frame;
    }

    private static void send(DataOutputStream out, WireRecord... records) throws IOException {
        int length = 0;
        for (WireRecord r : records) {
            length += r.encodedSize();
        }
        byte[] buf = new byte[4 + length];
        int off = Encoding.putInt(buf, 0, length);
        for (WireRecord r : records) {
            off = r.writeTo(buf, off);
        }
        out.write(buf);
        out.flush();
    }
}
