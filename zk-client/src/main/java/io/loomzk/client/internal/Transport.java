package io.loomzk.client.internal;

import io.loomzk.client.Dialer;
import io.loomzk.client.ZkException.TlsFailure.Reason;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * How a connection attempt reaches its server: the {@link Dialer} makes and connects the socket,
 * and TLS, when configured, shakes hands over it, all before the attempt's one deadline. Above
 * this, a connection reads and writes one socket, plain or TLS, the same way. Immutable apart from
 * the TLS contexts, which are thread-safe.
 */
public final class Transport {
    /** The longest wait for a handshake watchdog to end once the handshake is over. */
    private static final Duration WATCHDOG_JOIN = Duration.ofSeconds(1);

    private final Dialer dialer;
    private final TlsSource tls;
    private final TlsContexts contexts;

    /** @param tls the TLS settings, or null for plain text */
    public Transport(Dialer dialer, TlsSource tls) {
        this.dialer = dialer;
        this.tls = tls;
        this.contexts = tls == null ? null : new TlsContexts(tls);
    }

    /** Plain sockets, connected directly. */
    public static Transport plain() {
        return new Transport(Dialer.direct(), null);
    }

    public boolean isTls() {
        return tls != null;
    }

    /**
     * Loads the TLS material once (for {@code build()}, to refuse files that never load at once).
     *
     * @throws TlsHandshakeFailure if the key or trust files do not load
     */
    public void check() throws TlsHandshakeFailure {
        if (contexts != null) {
            contexts.current();
        }
    }

    /** A fresh, unconnected socket for one attempt; whoever holds it can end the attempt by closing it. */
    Socket newSocket() throws IOException {
        Socket socket = dialer.newSocket();
        if (socket == null || socket.isConnected() || socket.isClosed()) {
            throw new IOException("the dialer's newSocket() must return a new, unconnected socket: " + socket);
        }
        return socket;
    }

    /**
     * Connects {@code raw} and, with TLS, shakes hands over it, before {@code deadlineNanos}.
     *
     * @return the socket to read and write: {@code raw}, or the TLS socket layered over it
     *     (closing either ends both)
     * @throws TlsHandshakeFailure if TLS failed for a named reason
     * @throws IOException if the server cannot be reached in time
     */
    Socket connect(Socket raw, InetSocketAddress server, long deadlineNanos) throws IOException {
        dialer.connect(raw, server, Duration.ofMillis(millisLeft(deadlineNanos, server)));
        if (tls == null) {
            return raw;
        }
        SSLContext context = contexts.current();
        String host = server.getHostString();
        // through a read buffer: one read brings in every TLS record that has arrived
        SSLSocket ssl = (SSLSocket)
                context.getSocketFactory().createSocket(new BufferedSocket(raw), host, server.getPort(), true);
        ssl.setUseClientMode(true);
        SSLParameters parameters = ssl.getSSLParameters();
        if (tls.verifyHostname()) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        parameters.setServerNames(serverNames(host));
        if (!tls.protocols().isEmpty()) {
            parameters.setProtocols(tls.protocols().toArray(String[]::new));
        }
        if (!tls.cipherSuites().isEmpty()) {
            parameters.setCipherSuites(tls.cipherSuites().toArray(String[]::new));
        }
        ssl.setSSLParameters(parameters);
        handshake(ssl, raw, server, deadlineNanos);
        return ssl;
    }

    /**
     * Runs the TLS handshake within the deadline. A read timeout bounds each read of the
     * handshake, not all of them; a watchdog closes the socket at the deadline, so a server that
     * answers a byte at a time cannot stretch the attempt.
     */
    private static void handshake(SSLSocket ssl, Socket raw, InetSocketAddress server, long deadlineNanos)
            throws IOException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicBoolean fired = new AtomicBoolean();
        Thread watchdog = Thread.ofVirtual()
                .name("zk-tls-deadline-" + server.getHostString() + ":" + server.getPort())
                .start(() -> {
                    try {
                        if (!done.await(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                            fired.set(true);
                            closeQuietly(raw);
                        }
                    } catch (InterruptedException e) {
                        // not started by anyone who interrupts: nothing to do
                    }
                });
        try {
            ssl.setSoTimeout(millisLeft(deadlineNanos, server));
            ssl.startHandshake();
        } catch (IOException e) {
            if (fired.get()) {
                throw (SocketTimeoutException) new SocketTimeoutException(
                                "the TLS handshake with " + server + " did not finish within the attempt's budget")
                        .initCause(e);
            }
            throw e;
        } finally {
            done.countDown();
            try {
                watchdog.join(WATCHDOG_JOIN);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * What a failed attempt reports: a {@link TlsHandshakeFailure} naming the reason when TLS
     * failed, else {@code e} itself.
     */
    IOException failure(IOException e, InetSocketAddress server) {
        if (tls == null || e instanceof TlsHandshakeFailure || !TlsFailures.isTls(e)) {
            return e;
        }
        Reason reason = TlsFailures.classify(e);
        return new TlsHandshakeFailure(
                reason, server.getHostString() + ":" + server.getPort(), String.valueOf(e.getMessage()), e);
    }

    /** SNI for a host name; none for an IP literal (RFC 6066 forbids it). */
    private static List<SNIServerName> serverNames(String host) {
        if (isIpLiteral(host)) {
            return List.of();
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        try {
            return List.of(new SNIHostName(name));
        } catch (IllegalArgumentException notAHostName) {
            return List.of();
        }
    }

    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) {
            return true; // IPv6
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                return false;
            }
        }
        return true;
    }

    /** What is left before the deadline, in whole milliseconds (at least 1: 0 means no timeout). */
    static int millisLeft(long deadlineNanos, InetSocketAddress server) throws SocketTimeoutException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException(
                    "connecting to " + server + " and its handshake took longer than the attempt's budget");
        }
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999)));
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing left to do with it
        }
    }

    @Override
    public String toString() {
        return "Transport[" + dialer + (tls == null ? ", plain" : ", TLS " + tls) + "]";
    }
}
