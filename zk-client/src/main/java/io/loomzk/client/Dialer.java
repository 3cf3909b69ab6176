package io.loomzk.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.time.Duration;
import java.util.Objects;

/**
 * Opens the TCP connection to a server: the seam for SOCKS or HTTP CONNECT proxies, custom socket
 * options, or a test transport. TLS, when {@linkplain ZkClientBuilder#tls configured}, runs over
 * the socket a dialer connected; everything above it is unchanged.
 *
 * <p>One connection attempt asks for one {@link #newSocket()} and then calls {@link #connect} on
 * it. The client holds the socket from the moment {@code newSocket} returns: closing the client
 * closes it, and that must end whatever {@code connect} is doing (a plain socket's
 * {@link Socket#connect} does; a dialer that talks to a proxy should read and write through the
 * same socket, so closing it ends that exchange too). Before {@code connect}, the client turns on
 * {@code TCP_NODELAY} and {@code SO_KEEPALIVE}; {@code connect} may change them.
 *
 * <p>The connect, the TLS handshake and ZooKeeper's own handshake share one deadline per attempt;
 * {@code connect} is given what is left of it and must not take longer. Implementations are
 * called from the session's thread, one attempt at a time, and must be thread-safe only if
 * shared between clients.
 *
 * <pre>{@code
 * ZkClient.builder("zk1:2181").dialer(Dialer.through(new Proxy(Proxy.Type.SOCKS, socks))).build();
 * }</pre>
 */
public interface Dialer {
    /**
     * A new, unconnected socket for one attempt.
     *
     * @throws IOException if no socket can be made
     */
    Socket newSocket() throws IOException;

    /**
     * Connects {@code socket}, which {@link #newSocket()} made, to {@code server} within
     * {@code timeout}. The default is {@code socket.connect(server, timeout)}.
     *
     * <p>Blocks the calling (session) thread until connected, the timeout passes, or the socket
     * is closed by the client's {@code close()}.
     *
     * @param server the server, resolved now from the connect string's host name (or unresolved
     *     if it did not resolve; {@link InetSocketAddress#getHostString()} is the name as written)
     * @param timeout what is left of the attempt's deadline, at least a millisecond
     * @throws IOException if the server cannot be reached in time, or the socket was closed
     */
    default void connect(Socket socket, InetSocketAddress server, Duration timeout) throws IOException {
        socket.connect(server, (int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE));
    }

    /** The default: a plain {@code new Socket()} connected directly. */
    static Dialer direct() {
        return Socket::new;
    }

    /**
     * Connects through {@code proxy} with the JDK's own proxy support: a SOCKS proxy, or an
     * HTTP proxy through {@code CONNECT}. The proxy resolves nothing for the client: the server's
     * address is resolved here first, as the connect string gives it.
     */
    static Dialer through(Proxy proxy) {
        Objects.requireNonNull(proxy, "proxy");
        return () -> new Socket(proxy);
    }
}
