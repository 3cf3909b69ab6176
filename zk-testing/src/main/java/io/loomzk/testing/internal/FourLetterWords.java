package io.loomzk.testing.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/**
 * ZooKeeper's four-letter-word commands ({@code srvr}, {@code mntr}, ...) on a client port.
 *
 * <p>Servers started by zk-testing whitelist every command. The server writes its answer and
 * closes the connection; the answer is at most a few KiB.
 */
public final class FourLetterWords {
    private static final int MAX_ANSWER = 1 << 20;

    private FourLetterWords() {}

    /**
     * Sends {@code word} to {@code 127.0.0.1:port} and returns the whole answer.
     *
     * @throws IOException if the server cannot be reached or does not answer within {@code timeout}
     */
    public static String ask(int port, String word, Duration timeout) throws IOException {
        return ask(port, word, timeout, null);
    }

    /**
     * {@link #ask(int, String, Duration)} through {@code tls} (a TLS-only server answers four-letter
     * words on its secure port), or in plain text when it is null.
     */
    public static String ask(int port, String word, Duration timeout, SSLSocketFactory tls) throws IOException {
        int millis = (int) Math.max(1, timeout.toMillis());
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), millis);
            plain.setSoTimeout(millis);
            Socket socket = tls == null ? plain : tls.createSocket(plain, "127.0.0.1", port, true);
            socket.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream(1024);
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) >= 0; ) {
                answer.write(buf, 0, n);
                if (answer.size() > MAX_ANSWER) {
                    throw new IOException(word + " answer exceeds " + MAX_ANSWER + " bytes");
                }
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * The server's state from {@code srvr}: {@code leader}, {@code follower}, {@code observer},
     * {@code standalone} or {@code read-only}; empty while it is not serving or not reachable.
     */
    public static Optional<String> mode(int port, Duration timeout) {
        return mode(port, timeout, null);
    }

    /** {@link #mode(int, Duration)} through {@code tls}, or in plain text when it is null. */
    public static Optional<String> mode(int port, Duration timeout, SSLSocketFactory tls) {
        try {
            return value(ask(port, "srvr", timeout, tls), "Mode:");
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The value after {@code key} on the first line that starts with it. */
    public static Optional<String> value(String answer, String key) {
        for (String line : answer.split("\n")) {
            if (line.startsWith(key)) {
                return Optional.of(line.substring(key.length()).trim());
            }
        }
        return Optional.empty();
    }
}
