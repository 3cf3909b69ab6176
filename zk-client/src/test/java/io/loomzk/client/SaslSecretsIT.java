package io.loomzk.client;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.protocol.ClientInfo;
import io.loomzk.testing.ZkServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A whole secured session (a DIGEST-MD5 login, reconnections, a refused password) with every log
 * record at the finest level captured (System.Logger goes to java.util.logging here), and every
 * exception and {@code toString()} it produced: none of them may hold the password, or any SASL
 * token that crossed the wire (as text, hex or base64), or the digests and nonces inside them.
 * The tokens are read off the wire by a recording relay between client and server.
 */
@Timeout(180)
class SaslSecretsIT {
    private static final String PASSWORD = "pw-Sekr1t-Xq9";
    private static final String WRONG = "wrong-Sekr1t-Zz7";
    private static final String JDK_SASL_LOGGER = "javax.security.sasl";

    @Test
    void noSecretAppearsInLogsExceptionsOrToStrings() throws Exception {
        List<String> output = new CopyOnWriteArrayList<>();
        Logger root = Logger.getLogger("");
        Level rootLevel = root.getLevel();
        Handler capture = new Handler() {
            private final SimpleFormatter format = new SimpleFormatter();

            @Override
            public void publish(LogRecord record) {
                output.add(record.getLoggerName() + " " + format.format(record));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        capture.setLevel(Level.ALL);
        root.addHandler(capture);
        root.setLevel(Level.ALL);
        List<Object> shown = new ArrayList<>();
        try (ZkServer server =
                        ZkServer.builder().saslDigestUser("dave", PASSWORD).start();
                RecordingRelay relay = new RecordingRelay(server.port())) {
            SaslSettings good = SaslSettings.digest("dave", PASSWORD.toCharArray());
            SaslSettings bad = SaslSettings.digest("dave", WRONG.toCharArray());
            shown.add(good);
            shown.add(bad);
            try (ZkClient zk = ZkClient.builder(relay.connectString())
                    .sasl(good)
                    .sessionTimeout(Duration.ofSeconds(30))
                    .requestTimeout(Duration.ofSeconds(40))
                    .build()) {
                shown.add(zk);
                assertThat(zk.whoAmI()).contains(new ClientInfo("sasl", "dave"));
                zk.create("/secrets", null);
                for (int i = 0; i < 2; i++) {
                    relay.cutAll();
                    try {
                        zk.exists("/secrets");
                    } catch (ZkException e) {
                        shown.add(e); // a call racing the cut
                    }
                    assertThat(SaslDigestIT.readRetrying(zk, "/secrets")).isEmpty();
                }
                assertThat(zk.whoAmI()).contains(new ClientInfo("sasl", "dave"));
                shown.add(zk.state());
            }
            assertThatThrownBy(() ->
                            ZkClient.builder(relay.connectString()).sasl(bad).build())
                    .isInstanceOf(ZkException.AuthFailed.class)
                    .satisfies(shown::add);
            try (ZkClient unauthenticated =
                    ZkClient.builder(relay.connectString()).build()) {
                shown.add(unauthenticated);
            }
            relay.close();
            Set<String> secrets = relay.saslSecrets();
            secrets.add(PASSWORD);
            secrets.add(WRONG);
            // the relay saw both logins: their tokens, and the digests and nonces inside them
            assertThat(secrets).hasSizeGreaterThan(10);

            // The JDK's own SASL logger prints DIGEST-MD5's directives (nonces, at FINE) when it is
            // turned that low: the README says to keep it at INFO. Everything else must be clean.
            List<String> texts = new ArrayList<>();
            for (String line : output) {
                if (!line.startsWith(JDK_SASL_LOGGER + " ")) {
                    texts.add(line);
                }
            }
            for (Object o : shown) {
                texts.add(String.valueOf(o));
                if (o instanceof Throwable t) {
                    StringWriter trace = new StringWriter();
                    t.printStackTrace(new PrintWriter(trace));
                    texts.add(trace.toString());
                }
            }
            assertThat(output).as("the client logged at the finest level").isNotEmpty();
            assertThat(output).anyMatch(line -> line.startsWith("io.loomzk"));
            for (String text : texts) {
                for (String secret : secrets) {
                    assertThat(text).as("a secret in the output").doesNotContain(secret);
                }
            }
            System.out.printf(
                    "checked %d log records and %d exceptions/toStrings against %d secrets%n",
                    output.size(), shown.size(), secrets.size());
        } finally {
            root.removeHandler(capture);
            root.setLevel(rootLevel);
        }
    }

    /**
     * A TCP relay to a server that records what crosses it, each connection and direction apart,
     * and can cut every connection. Each recording is written by one copying thread and read only
     * after the relay is closed.
     */
    static final class RecordingRelay implements AutoCloseable {
        private final ServerSocket listener;
        private final int target;
        private final Queue<Socket> sockets = new ConcurrentLinkedQueue<>();
        private final Queue<Thread> threads = new ConcurrentLinkedQueue<>();
        /** Pairs of recordings: client to server, server to client. */
        private final Queue<ByteArrayOutputStream[]> recordings = new ConcurrentLinkedQueue<>();

        private final Thread acceptor;

        RecordingRelay(int targetPort) throws IOException {
            this.target = targetPort;
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.acceptor = Thread.ofVirtual().name("recording-relay-accept").start(this::accept);
        }

        String connectString() {
            return "127.0.0.1:" + listener.getLocalPort();
        }

        private void accept() {
            try {
                while (true) {
                    Socket client = listener.accept();
                    Socket server = new Socket();
                    server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5_000);
                    sockets.add(client);
                    sockets.add(server);
                    ByteArrayOutputStream[] pair = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
                    recordings.add(pair);
                    threads.add(Thread.ofVirtual().name("relay-c2s").start(() -> copy(client, server, pair[0])));
                    threads.add(Thread.ofVirtual().name("relay-s2c").start(() -> copy(server, client, pair[1])));
                }
            } catch (IOException closed) {
                // the relay is closed
            }
        }

        private static void copy(Socket from, Socket to, ByteArrayOutputStream record) {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    record.write(buf, 0, n);
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // cut
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }

        void cutAll() {
            Socket s;
            while ((s = sockets.poll()) != null) {
                closeQuietly(s);
            }
        }

        @Override
        public void close() throws InterruptedException {
            closeQuietly(listener);
            cutAll();
            acceptor.join(Duration.ofSeconds(5));
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(5));
            }
        }

        /**
         * Every SASL token of every connection (requests of op 102 and their replies), as hex
         * (both cases) and base64, and, for a text token (DIGEST-MD5's), the token and each of
         * its values.
         */
        Set<String> saslSecrets() {
            Set<String> secrets = new HashSet<>();
            for (ByteArrayOutputStream[] pair : recordings) {
                Set<Integer> saslXids = new HashSet<>();
                ByteBuffer c2s = ByteBuffer.wrap(pair[0].toByteArray());
                skipFrame(c2s); // the handshake
                while (c2s.remaining() >= 4) {
                    int len = c2s.getInt();
                    if (len > c2s.remaining()) {
                        break;
                    }
                    ByteBuffer frame = c2s.slice(c2s.position(), len);
                    c2s.position(c2s.position() + len);
                    int xid = frame.getInt();
                    if (frame.getInt() == 102) {
                        saslXids.add(xid);
                        addToken(frame, secrets);
                    }
                }
                ByteBuffer s2c = ByteBuffer.wrap(pair[1].toByteArray());
                skipFrame(s2c);
                while (s2c.remaining() >= 4) {
                    int len = s2c.getInt();
                    if (len > s2c.remaining()) {
                        break;
                    }
                    ByteBuffer frame = s2c.slice(s2c.position(), len);
                    s2c.position(s2c.position() + len);
                    int xid = frame.getInt();
                    frame.getLong();
                    int err = frame.getInt();
                    if (saslXids.contains(xid) && err == 0 && frame.remaining() >= 4) {
                        addToken(frame, secrets);
                    }
                }
            }
            return secrets;
        }

        private static void skipFrame(ByteBuffer b) {
            if (b.remaining() >= 4) {
                int len = b.getInt();
                b.position(Math.min(b.limit(), b.position() + len));
            }
        }

        private static void addToken(ByteBuffer frame, Set<String> secrets) {
            int len = frame.getInt();
            if (len <= 0 || len > frame.remaining()) {
                return;
            }
            byte[] token = new byte[len];
            frame.get(token);
            secrets.add(HexFormat.of().formatHex(token));
            secrets.add(HexFormat.of().withUpperCase().formatHex(token));
            secrets.add(Base64.getEncoder().encodeToString(token));
            String text = new String(token, ISO_8859_1);
            if (text.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f)) {
                secrets.add(text);
                for (String part : text.split(",")) {
                    int eq = part.indexOf('=');
                    String value = eq < 0 ? part : part.substring(eq + 1).replace("\"", "");
                    // names and fixed words (the user, the realm, "auth", "utf-8") are no secrets
                    if (value.length() >= 16) {
                        secrets.add(value);
                    }
                }
            }
        }

        private static void closeQuietly(AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing
            }
        }
    }
}
