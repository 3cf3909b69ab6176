package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.testing.ZkServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Failover past hosts that answer handshakes a byte at a time, to a real server. */
@Timeout(180)
class SlowHandshakeIT {

    @Test
    void failoverPassesTricklingHostsAndReachesTheHealthyOne() throws Exception {
        try (ZkServer server = ZkServer.start();
                TricklingPeer first = TricklingPeer.start();
                TricklingPeer second = TricklingPeer.start()) {
            String hosts = first.connectString() + "," + second.connectString() + "," + server.connectString();
            // The order of the hosts is shuffled per client: over three clients a trickling host
            // comes first 26 times in 27; each attempt on one has at most 6 s / 3 hosts = 2 s.
            for (int i = 0; i < 3; i++) {
                try (ZkClient zk = ZkClient.builder(hosts)
                        .sessionTimeout(Duration.ofSeconds(6))
                        .connectTimeout(Duration.ofSeconds(20))
                        .build()) {
                    assertThat(zk.connectedServer().getPort()).isEqualTo(server.port());
                    assertThat(zk.exists("/")).isPresent();
                }
            }
            assertThat(first.accepted() + second.accepted())
                    .as("trickling hosts were tried")
                    .isPositive();
            assertThat(SlowHandshakeTest.eventually(() -> first.openConnections() + second.openConnections()))
                    .isZero();
        }
    }
}
