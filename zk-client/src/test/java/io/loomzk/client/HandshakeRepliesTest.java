package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.protocol.ConnectResponse;
import io.loomzk.protocol.Frames;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Handshake replies no real server sends, from a scripted peer on loopback: the client must not
 * trust what they grant more than what it asked for, nor accept one that is malformed.
 */
@Timeout(60)
class HandshakeRepliesTest {
    private final LoopbackPeer peer;

    HandshakeRepliesTest() throws IOException {
        peer = new LoopbackPeer();
    }

    @AfterEach
    void close() throws IOException {
        peer.close();
    }

    /** Answers every handshake with {@code reply}, then reads and ignores everything (pings included). */
    private void serve(ConnectResponse reply) {
        peer.serve("handshake-peer", s -> {
            try {
                DataInputStream in = new DataInputStream(s.getInputStream());
                in.readFully(new byte[in.readInt()]);
                s.getOutputStream().write(Frames.connectResponse(reply));
                while (in.read(new byte[256]) >= 0) {
                    // silent: no reply to anything
                }
            } catch (IOException e) {
                // the client left
            }
        });
    }

    private String connectString() {
        return peer.connectString();
    }

    @Test
    void aSilentServerThatGrantedAnEnormousTimeoutIsLeftWithinWhatTheClientAskedFor() throws Exception {
        serve(new ConnectResponse(0, Integer.MAX_VALUE, 0x42, new byte[16], false));
        try (ZkClient zk = ZkClient.builder(connectString())
                .sessionTimeout(Duration.ofSeconds(3))
                .build()) {
            assertThat(zk.negotiatedSessionTimeout()).isEqualTo(Duration.ofMillis(Integer.MAX_VALUE));
            // silence for 2/3 of the 3 s asked for drops the connection; a wide margin for load
            assertThat(zk.awaitState(Duration.ofSeconds(20), SessionState.SUSPENDED))
                    .isEqualTo(SessionState.SUSPENDED);
            assertThatThrownBy(() -> zk.exists("/x")).isInstanceOf(ZkException.class);
        }
    }

    @Test
    void aHandshakeThatGrantsASessionWithoutAPasswordIsMalformed() {
        serve(new ConnectResponse(0, 30_000, 0x42, null, false));
        assertThatThrownBy(() -> ZkClient.builder(connectString())
                        .connectTimeout(Duration.ofSeconds(2))
                        .build())
                .isInstanceOf(ZkException.ConnectionLoss.class);
        assertThat(peer.connections()).as("the client tried").isPositive();
    }
}
