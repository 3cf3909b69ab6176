package io.loomzk.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A scripted peer on a loopback port, for tests that need a server answering in ways a real one
 * does not: each accepted connection runs {@code conversation} on its own virtual thread. {@link
 * #close()} stops accepting and closes every connection.
 */
final class LoopbackPeer implements AutoCloseable {
    private final ServerSocket listener;
    private final Queue<Socket> accepted = new ConcurrentLinkedQueue<>();
    private final AtomicInteger connections = new AtomicInteger();

    LoopbackPeer() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    /** Accepts connections until closed, each one talked to by {@code conversation} on a thread named {@code name}. */
    void serve(String name, Consumer<Socket> conversation) {
        Thread.ofVirtual().name(name).start(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    accepted.add(s);
                    connections.incrementAndGet();
                    Thread.ofVirtual().name(name + "-conn").start(() -> conversation.accept(s));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    /** The connections accepted so far. */
    int connections() {
        return connections.get();
    }

    String connectString() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : accepted) {
            s.close();
        }
    }
}
