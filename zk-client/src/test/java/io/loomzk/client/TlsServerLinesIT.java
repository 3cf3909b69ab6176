package io.loomzk.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.protocol.ACL;
import io.loomzk.protocol.Id;
import io.loomzk.protocol.Perms;
import io.loomzk.testing.ClientAuth;
import io.loomzk.testing.TestCa;
import io.loomzk.testing.ZkServer;
import io.loomzk.testing.ZkVersion;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS against every server line the test kit runs (3.5 to 3.9, TLS-only on a Netty secure port):
 * the session works, and the client certificate is an {@code x509} identity that an ACL grants
 * by (whoAmI needs 3.7, so the ACL is the proof on every line).
 */
@Timeout(180)
class TlsServerLinesIT {
    @ParameterizedTest
    @EnumSource(ZkVersion.class)
    void tlsAndTheClientCertificateIdentityWorkOnEveryServerLine(ZkVersion version) {
        try (TestCa ca = TestCa.create("lines-ca-" + version.name())) {
            TestCa.Issued serverCert =
                    ca.issue(TestCa.leaf("zk-server").dns("localhost").ip("127.0.0.1"));
            TestCa.Issued alice = ca.issue(TestCa.leaf("alice"));
            TestCa.Issued bob = ca.issue(TestCa.leaf("bob"));
            try (ZkServer server = ZkServer.builder()
                    .version(version)
                    .tls(ca, serverCert, ClientAuth.NEED)
                    .start()) {
                try (ZkClient a = client(server, ca, alice);
                        ZkClient b = client(server, ca, bob)) {
                    List<ACL> aliceOnly = List.of(new ACL(Perms.ALL, new Id("x509", "CN=alice")));
                    a.create(
                            "/alice",
                            "x".getBytes(UTF_8),
                            CreateOptions.persistent().withAcl(aliceOnly));
                    assertThat(a.getData("/alice").data()).isEqualTo("x".getBytes(UTF_8));
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.getData("/alice"))
                            .isInstanceOf(ZkException.NoAuth.class);
                }
            }
        }
    }

    private static ZkClient client(ZkServer server, TestCa ca, TestCa.Issued identity) {
        return ZkClient.builder(server.connectString())
                .tls(TlsSettings.builder()
                        .trustStore(ca.trustStore(), ca.storePassword())
                        .keyStore(identity.keyStore(), ca.storePassword())
                        .build())
                .connectTimeout(Duration.ofSeconds(30))
                .requestTimeout(Duration.ofSeconds(60))
                .build();
    }
}
