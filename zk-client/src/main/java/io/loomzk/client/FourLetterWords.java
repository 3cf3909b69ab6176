package io.loomzk.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * ZooKeeper's four-letter-word commands ({@code srvr}, {@code mntr}, {@code ruok}, …) over a
 * server's client port, for health checks and monitoring. Each call opens one plain socket,
 * sends the word, reads the answer until the server closes the connection, and closes it; no
 * session is involved and nothing here needs a {@link ZkClient}.
 *
 * <pre>{@code
 * for (InetSocketAddress server : FourLetterWords.servers("zk1:2181,zk2:2181/app")) {
 *     ServerStats stats = FourLetterWords.srvr(server, Duration.ofSeconds(2));
 *     System.out.println(server + " " + stats.mode() + " " + stats.zxidHex());
 * }
 * }</pre>
 *
 * <h2>Blocking and deadlines</h2>
 * Every call blocks the calling thread for at most its {@code timeout}, connecting and reading
 * together; on a virtual thread it does not pin a carrier. An interrupted virtual thread's call
 * fails at once with an {@link IOException} (the socket is closed), its interrupt flag set.
 *
 * <h2>Errors</h2>
 * A server that cannot be reached, or does not answer in time, is an {@link IOException}
 * ({@link SocketTimeoutException} for the deadline). A server that refuses the word (servers
 * answer only the words listed in {@code 4lw.commands.whitelist}; by default only {@code srvr})
 * is a {@link NotAllowed}. Answers are bounded: more than {@link #MAX_ANSWER_BYTES} is an error.
 */
public final class FourLetterWords {
    /** The largest answer read (bytes); {@code cons} and {@code wchs} of a busy server fit well. */
    public static final int MAX_ANSWER_BYTES = 4 << 20;

    /** The words ZooKeeper 3.5–3.9 know (besides the ones that change server state). */
    public static final Set<String> WORDS = Set.of(
            "conf", "cons", "crst", "dump", "envi", "ruok", "srst", "srvr", "stat", "wchs", "wchc", "wchp", "dirs",
            "mntr", "isro", "hash", "gtmk");

    private FourLetterWords() {}

    /**
     * Thrown when a server refuses a word that is not in its {@code 4lw.commands.whitelist}.
     */
    public static final class NotAllowed extends IOException {
        private static final long serialVersionUID = 1L;

        /** The refused word. */
        private final String word;

        NotAllowed(InetSocketAddress server, String word) {
            super(server.getHostString() + ":" + server.getPort() + " does not allow '" + word
                    + "' (add it to 4lw.commands.whitelist)");
            this.word = word;
        }

        /** The refused word. */
        public String word() {
            return word;
        }
    }

    /**
     * Sends {@code word} to {@code server} and returns its whole answer as text.
     *
     * @param word four lower-case letters, e.g. {@code "mntr"}
     * @param timeout the deadline for connecting and reading together
     * @throws IllegalArgumentException if {@code word} is not four letters
     * @throws NotAllowed if the server does not allow the word
     * @throws IOException if the server cannot be reached, closes early or misses the deadline
     */
    public static String ask(InetSocketAddress server, String word, Duration timeout) throws IOException {
        Objects.requireNonNull(server, "server");
        if (word == null || !word.matches("[a-z]{4}")) {
            throw new IllegalArgumentException("a four-letter word is four lower-case letters: " + word);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        InetSocketAddress address =
                server.isUnresolved() ? new InetSocketAddress(server.getHostString(), server.getPort()) : server;
        if (address.isUnresolved()) {
            throw new java.net.UnknownHostException(server.getHostString());
        }
        try (Socket socket = new Socket()) {
            socket.connect(address, remainingMillis(deadline));
            socket.getOutputStream().write(word.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream(1024);
            byte[] buf = new byte[8192];
            while (true) {
                socket.setSoTimeout(remainingMillis(deadline));
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                if (answer.size() + n > MAX_ANSWER_BYTES) {
                    throw new IOException("'" + word + "' answer exceeds " + MAX_ANSWER_BYTES + " bytes");
                }
                answer.write(buf, 0, n);
            }
            String text = answer.toString(StandardCharsets.UTF_8);
            if (text.contains("is not executed because it is not in the whitelist")) {
                throw new NotAllowed(server, word);
            }
            return text;
        }
    }

    /**
     * Reads a server's {@code srvr} answer: role, zxid, latency, connections, outstanding
     * requests and znode count.
     *
     * @throws IOException as {@link #ask}, or if the answer is not a {@code srvr} answer (a
     *     server that is not serving answers "This ZooKeeper instance is not currently serving
     *     requests")
     */
    public static ServerStats srvr(InetSocketAddress server, Duration timeout) throws IOException {
        String answer = ask(server, "srvr", timeout);
        try {
            return ServerStats.parse(answer);
        } catch (IllegalArgumentException e) {
            throw new IOException(server.getHostString() + ":" + server.getPort() + ": " + firstLine(answer), e);
        }
    }

    /**
     * Reads a server's {@code mntr} answer as an ordered map of its keys ({@code zk_version},
     * {@code zk_server_state}, {@code zk_avg_latency}, …) to their values.
     *
     * @throws IOException as {@link #ask}
     */
    public static Map<String, String> mntr(InetSocketAddress server, Duration timeout) throws IOException {
        return keyValues(ask(server, "mntr", timeout), '\t');
    }

    /**
     * Reads a server's {@code conf} or {@code envi} style answer ({@code key=value} lines) as an
     * ordered map.
     *
     * @throws IOException as {@link #ask}
     */
    public static Map<String, String> keyValueWord(InetSocketAddress server, String word, Duration timeout)
            throws IOException {
        return keyValues(ask(server, word, timeout), '=');
    }

    /**
     * Whether the server answers {@code ruok} with {@code imok} within the timeout. Never
     * throws for an unreachable server: that is {@code false}.
     */
    public static boolean ruok(InetSocketAddress server, Duration timeout) {
        try {
            return ask(server, "ruok", timeout).trim().equals("imok");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The servers of a connect string ({@code host:port[,host:port...][/chroot]}), in order,
     * unresolved; a host without a port gets 2181.
     *
     * @throws IllegalArgumentException if the connect string names no server or a bad port
     */
    public static List<InetSocketAddress> servers(String connectString) {
        String hosts = connectString;
        int slash = hosts.indexOf('/');
        if (slash >= 0) {
            hosts = hosts.substring(0, slash);
        }
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String part : hosts.split(",")) {
            String hostPort = part.trim();
            if (hostPort.isEmpty()) {
                continue;
            }
            int colon = hostPort.lastIndexOf(':');
            boolean bracketed = hostPort.startsWith("[");
            String host;
            int port = 2181;
            if (colon > 0 && (!bracketed || hostPort.lastIndexOf(']') < colon)) {
                host = hostPort.substring(0, colon);
                try {
                    port = Integer.parseInt(hostPort.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad port in connect string: " + hostPort);
                }
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("bad port in connect string: " + hostPort);
                }
            } else {
                host = hostPort;
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            servers.add(InetSocketAddress.createUnresolved(host, port));
        }
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("connect string names no server: " + connectString);
        }
        return List.copyOf(servers);
    }

    private static Map<String, String> keyValues(String answer, char separator) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : answer.split("\n")) {
            int at = line.indexOf(separator);
            if (at > 0) {
                values.put(line.substring(0, at).trim(), line.substring(at + 1).trim());
            }
        }
        return values;
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).trim();
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("four-letter word deadline passed");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000));
    }
}
