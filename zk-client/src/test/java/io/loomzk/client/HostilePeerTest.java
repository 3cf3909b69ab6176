package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.protocol.ConnectResponse;
import io.loomzk.protocol.Decoder;
import io.loomzk.protocol.Encoding;
import io.loomzk.protocol.ExistsResponse;
import io.loomzk.protocol.Frames;
import io.loomzk.protocol.ProtocolException;
import io.loomzk.protocol.ReplyHeader;
import io.loomzk.protocol.RequestHeader;
import io.loomzk.protocol.Stat;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Misbehaviour no real server produces, from a scripted peer on loopback that speaks just enough
 * of the protocol: replies out of order, replies to nothing, garbage lengths. Each must close the
 * connection with a {@link ProtocolException} and fail every waiting call with
 * {@link ZkException.ConnectionLoss}; none may hang, none may get another call's reply. A reply
 * that is well formed but larger than the client reads is the exception: it fails only its own
 * call, with {@link ZkException.ReplyTooLarge}, and the connection skips it and stays up.
 */
@Timeout(60)
class HostilePeerTest {
    private static final Stat STAT = new Stat(1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1);

    private final ServerSocket listener;
    private final List<Socket> accepted = new ArrayList<>();

    HostilePeerTest() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
        for (Socket s : accepted) {
            s.close();
        }
    }

    /** What the scripted peer does once a session is up: gets the socket and the first requests' xids. */
    interface Script {
        void run(Socket socket, DataInputStream in, OutputStream out) throws IOException;
    }

    private void serve(Script firstConnection) {
        Thread.ofVirtual().name("hostile-peer").start(() -> {
            boolean first = true;
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    accepted.add(s);
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    readFrame(in); // ConnectRequest
                    out.write(Frames.connectResponse(new ConnectResponse(0, 30_000, 0x42, new byte[16], false)));
                    if (first) {
                        first = false;
                        firstConnection.run(s, in, out);
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        return frame;
    }

    /** Reads requests until it has {@code n} numbered ones (skipping pings); returns their xids. */
    private static int[] readRequests(DataInputStream in, int n) throws IOException {
        int[] xids = new int[n];
        int got = 0;
        while (got < n) {
            RequestHeader h = RequestHeader.read(Decoder.of(readFrame(in)));
            if (h.xid() > 0) {
                xids[got++] = h.xid();
            }
        }
        return xids;
    }

    private static byte[] existsReply(int xid) {
        return Frames.reply(new ReplyHeader(xid, 5, 0), new ExistsResponse(STAT));
    }

    private ZkClient client() {
        return ZkClient.builder("127.0.0.1:" + listener.getLocalPort())
                .requestTimeout(Duration.ofSeconds(20))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static Queue<Throwable> inParallel(ZkClient zk, int calls) throws InterruptedException {
        Queue<Throwable> outcomes = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(calls);
        for (int i = 0; i < calls; i++) {
            Thread.ofVirtual().start(() -> {
                try {
                    zk.exists("/x");
                    outcomes.add(new AssertionError("a call succeeded on a corrupt stream"));
                } catch (Throwable t) {
                    outcomes.add(t);
                } finally {
                    done.countDown();
                }
            });
        }
        assertThat(done.await(15, java.util.concurrent.TimeUnit.SECONDS))
                .as("no call hangs")
                .isTrue();
        return outcomes;
    }

    @Test
    void anOutOfOrderReplyClosesTheConnectionAndFailsEveryWaitingCall() throws Exception {
        serve((socket, in, out) -> {
            int[] xids = readRequests(in, 3);
            out.write(existsReply(xids[1])); // the second before the first
            out.flush();
        });
        try (ZkClient zk = client()) {
            Queue<Throwable> outcomes = inParallel(zk, 3);
            assertThat(outcomes)
                    .hasSize(3)
                    .allSatisfy(t -> assertThat(t).isInstanceOf(ZkException.ConnectionLoss.class));
            assertThat(outcomes)
                    .anySatisfy(t -> assertThat(t.getCause())
                            .isInstanceOf(ProtocolException.class)
                            .hasMessageContaining("out of order"));
        }
    }

    @Test
    void aReplyToNothingClosesTheConnection() throws Exception {
        serve((socket, in, out) -> {
            readRequests(in, 1);
            out.write(existsReply(987_654));
            out.flush();
        });
        try (ZkClient zk = client()) {
            assertThatThrownBy(() -> zk.exists("/x"))
                    .isInstanceOf(ZkException.ConnectionLoss.class)
                    .hasCauseInstanceOf(ProtocolException.class);
        }
    }

    @Test
    void aNegativeFrameLengthClosesTheConnection() throws Exception {
        serve((socket, in, out) -> {
            readRequests(in, 1);
            byte[] prefix = new byte[4];
            Encoding.putInt(prefix, 0, -7);
            out.write(prefix);
            out.flush();
        });
        try (ZkClient zk = client()) {
            assertThatThrownBy(() -> zk.exists("/x"))
                    .isInstanceOf(ZkException.ConnectionLoss.class)
                    .hasCauseInstanceOf(ProtocolException.class)
                    .hasMessageContaining("frame length -7");
        }
    }

    /** A reply header announcing a body of {@code length} bytes in all; the body is not included. */
    private static byte[] oversizedHead(int xid, int length) {
        byte[] head = new byte[4 + ReplyHeader.SIZE];
        Encoding.putInt(head, 0, length);
        Encoding.putInt(head, 4, xid);
        Encoding.putLong(head, 8, 5);
        Encoding.putInt(head, 16, 0);
        return head;
    }

    /** Writes a reply frame of {@code length} bytes for {@code xid}, its body zeros, in 64 KiB pieces. */
    private static void writeOversized(OutputStream out, int xid, int length) throws IOException {
        out.write(oversizedHead(xid, length));
        byte[] zeros = new byte[64 * 1024];
        for (int left = length - ReplyHeader.SIZE; left > 0; left -= zeros.length) {
            out.write(zeros, 0, Math.min(left, zeros.length));
        }
    }

    @Test
    void aReplyOverTheLimitFailsOnlyItsCallAndTheConnectionSkipsItAndLivesOn() throws Exception {
        int limit = Frames.maxReplyFrameBytes(Frames.DEFAULT_MAX_FRAME_BYTES);
        CountDownLatch lastAnswered = new CountDownLatch(1);
        serve((socket, in, out) -> {
            int[] xids = readRequests(in, 3);
            out.write(existsReply(xids[0]));
            writeOversized(out, xids[1], 3 * limit);
            out.write(existsReply(xids[2]));
            out.flush();
            int later = readRequests(in, 1)[0]; // on the same connection
            out.write(existsReply(later));
            out.flush();
            lastAnswered.countDown();
        });
        try (ZkClient zk = client()) {
            long session = zk.sessionId();
            Queue<Object> outcomes = new ConcurrentLinkedQueue<>();
            CountDownLatch done = new CountDownLatch(3);
            for (int i = 0; i < 3; i++) {
                Thread.ofVirtual().start(() -> {
                    try {
                        outcomes.add(zk.exists("/x").orElseThrow());
                    } catch (Throwable t) {
                        outcomes.add(t);
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertThat(done.await(15, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(outcomes).filteredOn(STAT::equals).hasSize(2);
            assertThat(outcomes)
                    .filteredOn(o -> !STAT.equals(o))
                    .singleElement()
                    .isInstanceOfSatisfying(ZkException.ReplyTooLarge.class, e -> {
                        assertThat(e.replyBytes()).isEqualTo(3 * limit);
                        assertThat(e.limitBytes()).isEqualTo(limit);
                        assertThat(e.mayHaveBeenApplied())
                                .as("a read applies nothing")
                                .isFalse();
                        assertThat(e.getMessage())
                                .contains(String.valueOf(limit))
                                .contains("maxFrameBytes");
                    });
            assertThat(zk.exists("/x")).contains(STAT);
            assertThat(lastAnswered.await(5, java.util.concurrent.TimeUnit.SECONDS))
                    .isTrue();
            assertThat(accepted).as("no reconnect").hasSize(1);
            assertThat(zk.sessionId()).isEqualTo(session);
            assertThat(zk.state()).isEqualTo(SessionState.CONNECTED);
        }
    }

    @Test
    void aWriteWhoseReplyIsOverTheLimitSaysItMayHaveBeenApplied() throws Exception {
        serve((socket, in, out) -> {
            int xid = readRequests(in, 1)[0];
            writeOversized(out, xid, Frames.maxReplyFrameBytes(Frames.DEFAULT_MAX_FRAME_BYTES) + 1);
            out.flush();
        });
        try (ZkClient zk = client()) {
            assertThatThrownBy(() -> zk.create("/p/seq-", null, CreateOptions.persistentSequential()))
                    .isInstanceOfSatisfying(ZkException.ReplyTooLarge.class, e -> {
                        assertThat(e.mayHaveBeenApplied()).isTrue();
                        assertThat(e.path()).isEqualTo("/p/seq-");
                        assertThat(e.getMessage()).contains("may have been applied");
                    });
        }
    }

    @Test
    void aHugeAnnouncedLengthFailsItsCallAsSoonAsTheHeaderArrives() throws Exception {
        serve((socket, in, out) -> {
            int xid = readRequests(in, 1)[0];
            out.write(oversizedHead(xid, Integer.MAX_VALUE)); // and the body never comes
            out.flush();
        });
        try (ZkClient zk = client()) {
            assertThatThrownBy(() -> zk.exists("/x"))
                    .isInstanceOfSatisfying(
                            ZkException.ReplyTooLarge.class,
                            e -> assertThat(e.replyBytes()).isEqualTo(Integer.MAX_VALUE));
        }
    }

    @Test
    void anOversizedFrameThatAnswersNoCallClosesTheConnection() throws Exception {
        serve((socket, in, out) -> {
            readRequests(in, 1);
            writeOversized(out, -1, 2 * Frames.maxReplyFrameBytes(Frames.DEFAULT_MAX_FRAME_BYTES)); // a notification
            out.flush();
        });
        try (ZkClient zk = client()) {
            assertThatThrownBy(() -> zk.exists("/x"))
                    .isInstanceOf(ZkException.ConnectionLoss.class)
                    .hasCauseInstanceOf(ProtocolException.class)
                    .hasMessageContaining("exceeds");
        }
    }

    @Test
    void aTruncatedReplyBodyClosesTheConnection() throws Exception {
        serve((socket, in, out) -> {
            int xid = readRequests(in, 1)[0];
            byte[] good = existsReply(xid);
            byte[] cut = new byte[4 + 16 + 10]; // header and 10 bytes of a 68-byte stat
            System.arraycopy(good, 0, cut, 0, cut.length);
            Encoding.putInt(cut, 0, cut.length - 4);
            out.write(cut);
            out.flush();
        });
        try (ZkClient zk = client()) {
            assertThatThrownBy(() -> zk.exists("/x"))
                    .isInstanceOf(ZkException.ConnectionLoss.class)
                    .hasCauseInstanceOf(ProtocolException.class)
                    .hasStackTraceContaining("Stat");
        }
    }

    @Test
    void wellBehavedRepliesInOrderAllArrive() throws Exception {
        serve((socket, in, out) -> {
            int[] xids = readRequests(in, 5);
            for (int xid : xids) {
                out.write(existsReply(xid));
            }
            out.flush();
        });
        try (ZkClient zk = client()) {
            Queue<Object> outcomes = new ConcurrentLinkedQueue<>();
            CountDownLatch done = new CountDownLatch(5);
            for (int i = 0; i < 5; i++) {
                Thread.ofVirtual().start(() -> {
                    try {
                        outcomes.add(zk.exists("/x").orElseThrow());
                    } catch (Throwable t) {
                        outcomes.add(t);
                    } finally {
                        done.countDown();
                    }
                });
            }
            assertThat(done.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(outcomes).hasSize(5).allSatisfy(o -> assertThat(o).isEqualTo(STAT));
        }
    }
}
