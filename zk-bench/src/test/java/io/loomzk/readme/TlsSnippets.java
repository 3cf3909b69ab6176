package io.loomzk.readme;

import io.loomzk.client.Dialer;
import io.loomzk.client.TlsSettings;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.testing.ClientAuth;
import io.loomzk.testing.TestCa;
import io.loomzk.testing.ZkServer;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;

/** The README's "Secured ensembles" TLS snippets, compiled (never run). */
@SuppressWarnings("unused")
final class TlsSnippets {
    private TlsSnippets() {}

    static void stores(char[] trustPassword, char[] keyPassword) {
        // readme:begin tls-stores
        TlsSettings tls = TlsSettings.builder()
                .trustStore(Path.of("/etc/zk/truststore.p12"), trustPassword) // PKCS12 or JKS
                .keyStore(Path.of("/etc/zk/client.p12"), keyPassword) // for x509 client auth
                .build();
        try (ZkClient zk = ZkClient.builder("zk1.example.com:2281,zk2.example.com:2281")
                .tls(tls)
                .build()) {
            zk.whoAmI(); // [x509: CN=my-service, ...] with a client certificate (3.7+)
        }
        // readme:end tls-stores
    }

    static void pem(char[] keyPassword) {
        // readme:begin tls-pem
        TlsSettings tls = TlsSettings.builder()
                .pemTrust(Path.of("/etc/zk/ca.pem")) // one or more CERTIFICATE blocks
                .pemKey(Path.of("/etc/zk/client-key.pem"), keyPassword, Path.of("/etc/zk/client.pem"))
                .protocols("TLSv1.3")
                .build();
        // readme:end tls-pem
    }

    static void context(SSLContext context) {
        // readme:begin tls-context
        ZkClient zk = ZkClient.builder("zk1.example.com:2281")
                .tls(TlsSettings.of(context)) // your trust and keys; host names still verified
                .build();
        // readme:end tls-context
    }

    static void errors(TlsSettings tls) {
        // readme:begin tls-errors
        try (ZkClient zk = ZkClient.builder("zk1.example.com:2281").tls(tls).build()) {
            // ...
        } catch (ZkException.TlsFailure e) {
            switch (e.reason()) {
                case UNTRUSTED_CERTIFICATE, HOSTNAME_MISMATCH, EXPIRED_CERTIFICATE -> alertOps(e);
                case NOT_TLS -> System.err.println(e.server() + " is a plain-text port");
                default -> throw e;
            }
        }
        // readme:end tls-errors
    }

    static void noVerification(TlsSettings.Builder builder) {
        // readme:begin tls-no-hostname
        TlsSettings tls = builder.withoutHostnameVerification().build(); // any name the CA signed
        // readme:end tls-no-hostname
    }

    static void dialer(InetSocketAddress socks) {
        // readme:begin dialer
        ZkClient zk = ZkClient.builder("zk1.internal:2181")
                .dialer(Dialer.through(new Proxy(Proxy.Type.SOCKS, socks)))
                .build();
        // readme:end dialer
    }

    static void testing() {
        // readme:begin tls-testing
        try (TestCa ca = TestCa.create("test-ca");
                ZkServer server = ZkServer.builder()
                        .tls(ca, ca.issue(TestCa.leaf("zk").dns("localhost").ip("127.0.0.1")), ClientAuth.NEED)
                        .start()) {
            TestCa.Issued alice = ca.issue(TestCa.leaf("alice"));
            TlsSettings tls = TlsSettings.builder()
                    .trustStore(ca.trustStore(), ca.storePassword())
                    .keyStore(alice.keyStore(), ca.storePassword())
                    .build();
            try (ZkClient zk = ZkClient.builder(server.connectString()).tls(tls).build()) {
                zk.whoAmI(); // x509: CN=alice
            }
        }
        // readme:end tls-testing
    }

    private static void alertOps(ZkException.TlsFailure e) {}
}
