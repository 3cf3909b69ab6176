package io.loomzk.bench.load;

import io.loomzk.client.TlsSettings;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkClientBuilder;
import io.loomzk.testing.ClientAuth;
import io.loomzk.testing.TestCa;
import io.loomzk.testing.ZkServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.apache.zookeeper.client.ZKClientConfig;

/**
 * The TLS of a {@code --tls} run: a throw-away CA (zk-testing's {@link TestCa}), a TLS-only
 * ZooKeeper 3.9 server in a child JVM (secure client port on Netty, client certificates wanted),
 * and one client certificate every contender presents, each the way its client takes TLS:
 * LoomZK's {@link TlsSettings}, the official client's {@code zookeeper.ssl.*} properties over its
 * Netty socket, an {@link SSLSocketFactory} for the bare wire. Host names are verified by every
 * client (the certificate names 127.0.0.1 and localhost).
 *
 * <p>{@link #current()} is set once by the load tool before any contender opens and cleared when
 * the run ends; contenders read it when they open a session. The store password stays in memory
 * and in the server's own configuration; it is never printed.
 */
final class BenchTls implements AutoCloseable {
    private static volatile BenchTls current;

    private final TestCa ca;
    private final TestCa.Issued serverCert;
    private final TestCa.Issued clientCert;
    private final SSLSocketFactory socketFactory;

    private BenchTls() throws GeneralSecurityException, IOException {
        this.ca = TestCa.create("zk-bench-ca");
        this.serverCert =
                ca.issue(TestCa.leaf("zk-bench-server").dns("localhost").ip("127.0.0.1"));
        this.clientCert = ca.issue(TestCa.leaf("zk-bench-client"));
        this.socketFactory = sslContext().getSocketFactory();
    }

    /** Makes the CA and certificates, and makes them the run's TLS. */
    static BenchTls install() throws GeneralSecurityException, IOException {
        BenchTls tls = new BenchTls();
        current = tls;
        return tls;
    }

    /** The run's TLS, or null for a plain-text run. */
    static BenchTls current() {
        return current;
    }

    /** A LoomZK builder for {@code connect}, over TLS in a {@code --tls} run. */
    static ZkClientBuilder loomzk(String connect) {
        ZkClientBuilder b = ZkClient.builder(connect);
        BenchTls tls = current;
        return tls == null ? b : b.tls(tls.settings());
    }

    /** Starts the TLS-only server (a child JVM; Netty, which ZooKeeper's TLS requires). */
    ZkServer startServer() {
        return ZkServer.builder()
                .tls(ca, serverCert, ClientAuth.WANT)
                .tickTime(Duration.ofSeconds(2))
                .property("maxClientCnxns", "0")
                // as the plain embedded server: G1 and the full JIT (the test kit's child default is lean)
                .jvmOptions("-Xms512m", "-Xmx1g", "-XX:-UseSerialGC", "-XX:+UseG1GC", "-XX:TieredStopAtLevel=4")
                .start();
    }

    TlsSettings settings() {
        return TlsSettings.builder()
                .trustStore(ca.trustStore(), ca.storePassword())
                .keyStore(clientCert.keyStore(), ca.storePassword())
                .build();
    }

    /** Sets the official client's TLS properties (it needs its Netty socket for them). */
    void configure(ZKClientConfig config) {
        config.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
        config.setProperty(
                "zookeeper.ssl.keyStore.location", clientCert.keyStore().toString());
        config.setProperty("zookeeper.ssl.keyStore.password", new String(ca.storePassword()));
        config.setProperty("zookeeper.ssl.keyStore.type", "PKCS12");
        config.setProperty("zookeeper.ssl.trustStore.location", ca.trustStore().toString());
        config.setProperty("zookeeper.ssl.trustStore.password", new String(ca.storePassword()));
        config.setProperty("zookeeper.ssl.trustStore.type", "PKCS12");
        config.setProperty("zookeeper.ssl.hostnameVerification", "true");
    }

    /** Layers TLS over a connected socket and shakes hands (host name verified), for the bare wire. */
    SSLSocket wrap(java.net.Socket connected, String host, int port) throws IOException {
        SSLSocket ssl = (SSLSocket) socketFactory.createSocket(connected, host, port, true);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
        return ssl;
    }

    private SSLContext sslContext() throws GeneralSecurityException, IOException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(clientCert.keyStore()), ca.storePassword());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(ca.trustStore()));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private KeyStore load(java.nio.file.Path file) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, ca.storePassword());
        }
        return store;
    }

    @Override
    public void close() {
        if (current == this) {
            current = null;
        }
        ca.close();
    }
}
