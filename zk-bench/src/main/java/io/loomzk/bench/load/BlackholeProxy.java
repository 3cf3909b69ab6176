package io.loomzk.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy in front of one server that can turn into a black hole: connections stay
 * open, but nothing gets through in either direction, so a client's calls wait for replies that
 * never come. (Interim, for the memory mode, until zk-testing's {@code ZkProxy} lands.)
 */
final class BlackholeProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean blackhole;
    private volatile boolean closed;

    BlackholeProxy(String hostPort) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        this.target =
                new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("bench-proxy-accept").start(this::acceptLoop);
    }

    String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    /** From now on, drop everything (true) or pass it on again (false). */
    void blackhole(boolean on) {
        blackhole = on;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(target, 5_000);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(server);
                Thread.ofVirtual().name("bench-proxy-up").start(() -> pump(client, server));
                Thread.ofVirtual().name("bench-proxy-down").start(() -> pump(server, client));
            } catch (IOException e) {
                if (!closed) {
                    continue; // one failed connection; keep accepting
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while (!closed && (n = in.read(buf)) >= 0) {
                if (!blackhole) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException ignored) {
            // either side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        sockets.forEach(BlackholeProxy::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
