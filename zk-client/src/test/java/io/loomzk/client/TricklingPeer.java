package io.loomzk.client;

import io.loomzk.protocol.ConnectResponse;
import io.loomzk.protocol.Encoding;
import io.loomzk.protocol.Frames;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted peer on loopback that accepts connections and answers every handshake one byte at
 * a time, each byte well within any read timeout, announcing a reply long enough to last for
 * hours. Optionally the first {@code healthy} connections get a proper handshake reply instead
 * and are then cut at once. It counts the connections the client still holds open: a connection
 * counts until the client closes its end.
 */
final class TricklingPeer implements AutoCloseable {
    /** The pause between two bytes of a trickled handshake reply. */
    static final long BYTE_INTERVAL_MILLIS = 100;

    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger healthyLeft;
    private final int grantedTimeoutMillis;

    private TricklingPeer(int healthy, int grantedTimeoutMillis) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.healthyLeft = new AtomicInteger(healthy);
        this.grantedTimeoutMillis = grantedTimeoutMillis;
        Thread.ofVirtual().name("trickler-accept").start(this::acceptLoop);
    }

    /** A peer that trickles every handshake. */
    static TricklingPeer start() throws IOException {
        return new TricklingPeer(0, 0);
    }

    /**
     * A peer whose first connection gets a session (id 0x42, the given timeout) and is then cut;
     * every later handshake is trickled.
     */
    static TricklingPeer cutThenTrickle(int grantedTimeoutMillis) throws IOException {
        return new TricklingPeer(1, grantedTimeoutMillis);
    }

    String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Connections the client has not closed yet. */
    int openConnections() {
        return open.size();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            open.add(s);
            Thread.ofVirtual().name("trickler-conn").start(() -> serve(s));
        }
    }

    private void serve(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] request = new byte[in.readInt()];
            in.readFully(request);
            OutputStream out = s.getOutputStream();
            if (healthyLeft.getAndDecrement() > 0) {
                out.write(Frames.connectResponse(
                        new ConnectResponse(0, grantedTimeoutMillis, 0x42, new byte[16], false)));
                out.flush();
                Thread.sleep(200);
                return; // cut
            }
            Thread.ofVirtual().name("trickler-write").start(() -> trickle(s, out));
            awaitClientClose(in);
        } catch (IOException | InterruptedException e) {
            // the client went away
        } finally {
            open.remove(s);
        }
    }

    private static void trickle(Socket s, OutputStream out) {
        byte[] prefix = new byte[Frames.LENGTH_BYTES];
        Encoding.putInt(prefix, 0, 1_000_000);
        try {
            for (int i = 0; !s.isClosed(); i++) {
                out.write(i < prefix.length ? prefix[i] : 0);
                out.flush();
                Thread.sleep(BYTE_INTERVAL_MILLIS);
            }
        } catch (IOException | InterruptedException e) {
            // closed
        }
    }

    /** Reads until the client closes its end (it sends nothing during a handshake). */
    private static void awaitClientClose(InputStream in) throws IOException {
        byte[] sink = new byte[256];
        while (in.read(sink) >= 0) {
            // discard
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
