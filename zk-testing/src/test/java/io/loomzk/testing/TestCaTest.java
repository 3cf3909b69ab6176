package io.loomzk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

class TestCaTest {
    @Test
    void issuedCertificatesChainToTheCaAndCarryTheirNames() throws Exception {
        try (TestCa ca = TestCa.create("unit-ca")) {
            TestCa.Issued server =
                    ca.issue(TestCa.leaf("localhost").dns("localhost").ip("127.0.0.1"));
            server.certificate().verify(ca.certificate().getPublicKey());
            server.certificate().checkValidity();
            assertThat(server.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
            assertThat(server.certificate().getIssuerX500Principal())
                    .isEqualTo(ca.certificate().getSubjectX500Principal());
            assertThat(server.certificate().getSubjectAlternativeNames())
                    .extracting(l -> (Object) l.get(1))
                    .containsExactlyInAnyOrder((Object) "localhost", "127.0.0.1");
            assertThat(ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
            assertThat(server.certificate().getBasicConstraints()).isEqualTo(-1);

            KeyStore keyStore = load(server.keyStore(), ca.storePassword());
            assertThat(keyStore.getCertificateChain("key")).hasSize(2);
            assertThat(Files.readString(server.pemCertificate())).contains("BEGIN CERTIFICATE");
            assertThat(Files.readString(server.pemPrivateKey())).contains("BEGIN PRIVATE KEY");
            assertThat(server.toString()).doesNotContain(new String(ca.storePassword()));
        }
    }

    @Test
    void aTlsHandshakeVerifiesTheHostAndTheClientCertificate() throws Exception {
        try (TestCa ca = TestCa.create("handshake-ca")) {
            TestCa.Issued good = ca.issue(TestCa.leaf("server").ip("127.0.0.1"));
            TestCa.Issued otherName = ca.issue(TestCa.leaf("server").dns("elsewhere.example"));
            TestCa.Issued expired = ca.issue(TestCa.leaf("server")
                    .ip("127.0.0.1")
                    .validity(
                            Instant.now().minus(Duration.ofDays(3)),
                            Instant.now().minus(Duration.ofDays(1))));
            TestCa.Issued client = ca.issue(TestCa.leaf("alice"));

            assertThat(handshake(ca, good, client)).isEqualTo("CN=alice");
            assertThatThrownBy(() -> handshake(ca, otherName, client))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasMessageContaining("127.0.0.1");
            assertThatThrownBy(() -> handshake(ca, expired, client))
                    .isInstanceOf(SSLHandshakeException.class)
                    .hasRootCauseInstanceOf(CertificateExpiredException.class);
        }
    }

    /** Server with {@code server}, client verifying 127.0.0.1 as HTTPS does; returns the peer the server saw. */
    private static String handshake(TestCa ca, TestCa.Issued server, TestCa.Issued client) throws Exception {
        SSLContext serverContext = context(ca, server);
        SSLContext clientContext = context(ca, client);
        try (SSLServerSocket listener =
                (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.setNeedClientAuth(true);
            CompletableFuture<String> seen = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    return s.getSession().getPeerPrincipal().getName();
                } catch (Exception e) {
                    return "failed: " + e;
                }
            });
            // By the IP's text, so the peer host to verify is "127.0.0.1", not the loopback's name.
            try (SSLSocket socket =
                    (SSLSocket) clientContext.getSocketFactory().createSocket("127.0.0.1", listener.getLocalPort())) {
                socket.setSoTimeout(10_000);
                SSLParameters params = socket.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(params);
                socket.startHandshake();
                socket.getInputStream().available();
            }
            return seen.get(20, TimeUnit.SECONDS);
        }
    }

    private static SSLContext context(TestCa ca, TestCa.Issued identity) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(identity.keyStore(), ca.storePassword()), ca.storePassword());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(ca.trustStore(), ca.storePassword()));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path file, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }
}
