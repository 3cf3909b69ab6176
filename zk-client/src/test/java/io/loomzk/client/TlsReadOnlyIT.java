package io.loomzk.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.testing.ClientAuth;
import io.loomzk.testing.TestCa;
import io.loomzk.testing.ZkEnsemble;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Read-only mode over TLS: a TLS-only ensemble loses its quorum, a client that allows read-only
 * is served read-only by the remaining member, and moves to a read-write server by itself (its
 * probes shake hands over TLS too) once the quorum is back. The plain-text case is
 * {@link ReadOnlyIT}.
 */
@Timeout(300)
class TlsReadOnlyIT {
    @Test
    void readOnlyOverTlsThenReadWriteAgain() throws Exception {
        try (TestCa ca = TestCa.create("tls-read-only-ca")) {
            TestCa.Issued serverCert =
                    ca.issue(TestCa.leaf("zk-server").dns("localhost").ip("127.0.0.1"));
            TestCa.Issued client = ca.issue(TestCa.leaf("reader"));
            TlsSettings tls = TlsSettings.builder()
                    .trustStore(ca.trustStore(), ca.storePassword())
                    .keyStore(client.keyStore(), ca.storePassword())
                    .build();
            try (ZkEnsemble ensemble = ZkEnsemble.builder()
                    .tls(ca, serverCert, ClientAuth.WANT)
                    .jvmOptions("-Dreadonlymode.enabled=true")
                    .property("localSessionsEnabled", "true")
                    .property("localSessionsUpgradingEnabled", "true")
                    .start()) {
                try (ZkClient writer = ZkClient.builder(ensemble.connectString())
                        .tls(tls)
                        .connectTimeout(Duration.ofSeconds(60))
                        .build()) {
                    writer.create("/ro", "before".getBytes(UTF_8));
                }
                ensemble.stop(1);
                ensemble.stop(2); // member 0 loses its quorum and, after a while, serves read-only

                try (ZkClient reader = readOnlyClient(ensemble, tls)) {
                    assertThat(reader.state()).isEqualTo(SessionState.READ_ONLY);
                    assertThat(new String(reader.getData("/ro").data(), UTF_8)).isEqualTo("before");
                    assertThatThrownBy(() -> reader.setData("/ro", "during".getBytes(UTF_8)))
                            .isInstanceOf(ZkException.NotReadOnly.class);

                    ensemble.start(1);
                    ensemble.start(2);
                    assertThat(reader.awaitState(Duration.ofSeconds(90), SessionState.CONNECTED))
                            .as("moved to a read-write server over TLS")
                            .isEqualTo(SessionState.CONNECTED);
                    reader.setData("/ro", "after".getBytes(UTF_8));
                    assertThat(new String(reader.getData("/ro").data(), UTF_8)).isEqualTo("after");
                }
            }
        }
    }

    /** A client that starts once member 0 serves read-only (it needs a moment to notice). */
    private static ZkClient readOnlyClient(ZkEnsemble ensemble, TlsSettings tls) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            ZkClient client = null;
            try {
                client = ZkClient.builder(ensemble.connectString())
                        .tls(tls)
                        .canBeReadOnly(true)
                        .connectTimeout(Duration.ofSeconds(30))
                        .requestTimeout(Duration.ofSeconds(60))
                        .build();
                if (client.state() == SessionState.READ_ONLY) {
                    return client;
                }
            } catch (ZkException.ConnectionLoss notYet) {
                // member 0 has not started serving read-only yet
            }
            if (client != null) {
                client.close();
            }
            assertThat(System.nanoTime()).as("member 0 never served read-only").isLessThan(deadline);
            Thread.sleep(500);
        }
    }
}
