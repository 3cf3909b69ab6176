package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.protocol.ConnectResponse;
import io.loomzk.protocol.Decoder;
import io.loomzk.protocol.ErrorCode;
import io.loomzk.protocol.Frames;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.ReplyHeader;
import io.loomzk.protocol.RequestHeader;
import io.loomzk.protocol.SetSASLResponse;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SASL exchange against a scripted peer that answers the handshake and then misbehaves in
 * ways real servers do (or old ones did): it never answers a token, it closes the connection in
 * answer to one, it refuses with a code. None may hang the client, none may make it hammer the
 * peer, and no ping may go out while the exchange runs.
 */
@Timeout(60)
class SaslPeerTest {
    /** What the peer does with the first SASL token of a connection. */
    private enum Mode {
        SILENT,
        CLOSE,
        REFUSE,
        GARBAGE
    }

    /** Every request the peer read after a handshake, as op names. */
    private final Queue<String> requests = new ConcurrentLinkedQueue<>();

    private final LoopbackPeer peer;

    SaslPeerTest() throws IOException {
        peer = new LoopbackPeer();
    }

    @AfterEach
    void close() throws IOException {
        peer.close();
    }

    private void serve(Mode mode) {
        peer.serve("sasl-peer", s -> converse(s, mode));
    }

    private void converse(Socket s, Mode mode) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            readFrame(in); // ConnectRequest
            out.write(Frames.connectResponse(new ConnectResponse(0, 3_000, 0x42, new byte[16], false)));
            while (true) {
                RequestHeader h = RequestHeader.read(Decoder.of(readFrame(in)));
                OpCode op = OpCode.of(h.type());
                requests.add(op.name());
                if (op == OpCode.CLOSE_SESSION) {
                    out.write(Frames.reply(new ReplyHeader(h.xid(), 0, 0), null));
                    return;
                }
                if (op != OpCode.SASL) {
                    continue;
                }
                switch (mode) {
                    case SILENT -> {}
                    case CLOSE -> {
                        return;
                    }
                    case GARBAGE ->
                        out.write(Frames.reply(
                                new ReplyHeader(h.xid(), 0, 0),
                                new SetSASLResponse("no=digest-challenge".getBytes(StandardCharsets.US_ASCII))));
                    case REFUSE -> {
                        out.write(Frames.reply(
                                new ReplyHeader(h.xid(), 0, ErrorCode.AUTH_FAILED.code()), new SetSASLResponse(null)));
                        return;
                    }
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    private static byte[] readFrame(DataInputStream in) throws IOException {
        byte[] frame = new byte[in.readInt()];
        in.readFully(frame);
        return frame;
    }

    private ZkClientBuilder client() {
        return ZkClient.builder(peer.connectString())
                .sasl(SaslSettings.digest("eve", "eves-password".toCharArray()))
                .sessionTimeout(Duration.ofSeconds(3));
    }

    @Test
    void aPeerThatNeverAnswersATokenCannotHangTheClientNorGetAPing() {
        serve(Mode.SILENT);
        assertThatThrownBy(() -> client().connectTimeout(Duration.ofSeconds(8)).build())
                .isInstanceOf(ZkException.class)
                .isNotInstanceOf(ZkException.AuthFailed.class);
        assertThat(requests).isNotEmpty().containsOnly("SASL");
        // each attempt waits for its deadline, then backs off: a handful, not a storm
        assertThat(peer.connections()).isBetween(1, 20);
    }

    @Test
    void aPeerThatClosesTheConnectionInAnswerToATokenIsARefusalAfterThreeTimes() {
        serve(Mode.CLOSE);
        assertThatThrownBy(() -> client().connectTimeout(Duration.ofSeconds(30)).build())
                .isInstanceOf(ZkException.AuthFailed.class)
                .hasMessageContaining("3 times in a row")
                .hasMessageNotContaining("eves-password");
        assertThat(peer.connections()).isEqualTo(3);
        assertThat(requests).containsOnly("SASL");
    }

    @Test
    void aRefusalEndsTheSessionAtOnceWithoutAnotherAttempt() {
        serve(Mode.REFUSE);
        assertThatThrownBy(() -> client().connectTimeout(Duration.ofSeconds(30)).build())
                .isInstanceOf(ZkException.AuthFailed.class)
                .hasMessageContaining("refused the DIGEST-MD5 login");
        assertThat(peer.connections()).isEqualTo(1);
        assertThat(requests).containsExactly("SASL");
    }

    @Test
    void aMechanismFailureOnTheClientClosesTheSessionOnTheServer() {
        serve(Mode.GARBAGE);
        assertThatThrownBy(() -> client().connectTimeout(Duration.ofSeconds(30)).build())
                .isInstanceOf(ZkException.AuthFailed.class)
                .hasMessageContaining("DIGEST-MD5 failed on the client");
        assertThat(peer.connections()).isEqualTo(1);
        assertThat(requests).containsExactly("SASL", "CLOSE_SESSION");
    }
}
