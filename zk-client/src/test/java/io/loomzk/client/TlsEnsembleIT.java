package io.loomzk.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.protocol.EventType;
import io.loomzk.testing.ClientAuth;
import io.loomzk.testing.TestCa;
import io.loomzk.testing.ZkEnsemble;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A three-server TLS-only ensemble (child JVMs, secure client ports, no plain ones): the member
 * the client is connected to is killed; the session, its ephemeral node and a watch carry over
 * to another member over a new TLS connection.
 */
@Timeout(400)
class TlsEnsembleIT {
    @Test
    void killingTheConnectedMemberKeepsTheSessionItsEphemeralNodeAndItsWatch() throws Exception {
        try (TestCa ca = TestCa.create("tls-ensemble-ca")) {
            TestCa.Issued serverCert =
                    ca.issue(TestCa.leaf("zk-server").dns("localhost").ip("127.0.0.1"));
            TestCa.Issued alice = ca.issue(TestCa.leaf("alice"));
            TlsSettings tls = TlsSettings.builder()
                    .trustStore(ca.trustStore(), ca.storePassword())
                    .keyStore(alice.keyStore(), ca.storePassword())
                    .build();
            try (ZkEnsemble ensemble = ZkEnsemble.builder()
                            .tls(ca, serverCert, ClientAuth.WANT)
                            .start();
                    ZkClient zk = ZkClient.builder(ensemble.connectString())
                            .tls(tls)
                            .sessionTimeout(Duration.ofSeconds(30))
                            .connectTimeout(Duration.ofSeconds(60))
                            .requestTimeout(Duration.ofSeconds(90))
                            .build()) {
                long session = zk.sessionId();
                zk.create("/mine", "v".getBytes(UTF_8), CreateOptions.ephemeral());
                OneShotWatch watch = zk.getDataAndWatch("/mine").watch();
                for (int round = 0; round < 2; round++) {
                    InetSocketAddress connected = zk.connectedServer();
                    int member = memberOf(ensemble, connected.getPort());
                    ensemble.kill(member);
                    assertThat(zk.exists("/mine")).isPresent();
                    assertThat(zk.connectedServer().getPort()).isNotEqualTo(connected.getPort());
                    ensemble.start(member);
                }
                assertThat(zk.sessionId()).isEqualTo(session);
                assertThat(zk.exists("/mine").orElseThrow().ephemeralOwner()).isEqualTo(session);
                zk.setData("/mine", "w".getBytes(UTF_8));
                assertThat(watch.await(Duration.ofSeconds(60)).orElseThrow().type())
                        .isEqualTo(EventType.NODE_DATA_CHANGED);
            }
        }
    }

    private static int memberOf(ZkEnsemble ensemble, int port) {
        for (int i = 0; i < ensemble.size(); i++) {
            if (ensemble.clientPort(i) == port) {
                return i;
            }
        }
        throw new AssertionError("no member serves port " + port);
    }
}
