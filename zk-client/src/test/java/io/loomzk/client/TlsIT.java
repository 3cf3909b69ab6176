package io.loomzk.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.client.ZkException.TlsFailure.Reason;
import io.loomzk.protocol.ACL;
import io.loomzk.protocol.AddWatchMode;
import io.loomzk.protocol.ClientInfo;
import io.loomzk.protocol.EventType;
import io.loomzk.protocol.Id;
import io.loomzk.protocol.Perms;
import io.loomzk.testing.ClientAuth;
import io.loomzk.testing.PinningDetector;
import io.loomzk.testing.TestCa;
import io.loomzk.testing.ZkServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.logging.StreamHandler;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * LoomZK over TLS against real TLS-only ZooKeeper 3.9 servers (child JVMs, Netty secure client
 * port, no plain port) and a throw-away CA: every kind of call, watches and a thousand pipelined
 * callers; client-certificate identity and an {@code x509} ACL; PKCS12, JKS and PEM material
 * (an encrypted PEM key too); rotated files picked up by the next connection; and each refusal
 * as a typed {@link ZkException.TlsFailure} naming its cause.
 */
@Timeout(300)
class TlsIT {
    private static TestCa ca;
    private static TestCa.Issued serverCert;
    private static TestCa.Issued alice;
    private static ZkServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() {
        ca = TestCa.create("tls-it-ca");
        serverCert = ca.issue(TestCa.leaf("zk-server").dns("localhost").ip("127.0.0.1"));
        alice = ca.issue(TestCa.leaf("alice"));
        server = ZkServer.builder().tls(ca, serverCert, ClientAuth.WANT).start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
        if (ca != null) {
            ca.close();
        }
    }

    private static TlsSettings.Builder p12(TestCa.Issued identity) {
        TlsSettings.Builder b = TlsSettings.builder().trustStore(ca.trustStore(), ca.storePassword());
        return identity == null ? b : b.keyStore(identity.keyStore(), ca.storePassword());
    }

    private static ZkClientBuilder client(String connectString, TlsSettings tls) {
        return ZkClient.builder(connectString)
                .tls(tls)
                .sessionTimeout(Duration.ofSeconds(30))
                .connectTimeout(Duration.ofSeconds(30))
                .requestTimeout(Duration.ofSeconds(60));
    }

    @Test
    void everyKindOfCallWatchesAndAThousandPipelinedCallersWorkOverTls() throws Exception {
        try (ZkClient zk = client(server.connectString(), p12(alice).build()).build()) {
            zk.create("/tls", "v".getBytes(UTF_8));
            zk.create("/tls/eph", null, CreateOptions.ephemeral());
            assertThat(zk.getData("/tls").data()).isEqualTo("v".getBytes(UTF_8));
            assertThat(zk.exists("/tls/none")).isEmpty();
            assertThat(zk.getChildren("/tls").names()).containsExactly("eph");
            assertThat(zk.multi(Op.setData("/tls", "w".getBytes(UTF_8), 0), Op.check("/tls", 1)))
                    .hasSize(2);
            OneShotWatch oneShot = zk.getDataAndWatch("/tls").watch();
            PersistentWatch persistent = zk.addWatch("/tls", AddWatchMode.PERSISTENT_RECURSIVE);

            int callers = 1_000;
            AtomicInteger right = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                int n = i;
                threads.add(Thread.ofVirtual().start(() -> {
                    if (n % 10 == 0) {
                        zk.create("/tls/c" + n, Integer.toString(n).getBytes(UTF_8));
                        right.incrementAndGet();
                    } else if (zk.getData("/tls").data()[0] == 'w') {
                        right.incrementAndGet();
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(right).hasValue(callers);
            assertThat(zk.getChildren("/tls").names()).hasSize(1 + callers / 10);

            zk.setData("/tls", "x".getBytes(UTF_8));
            assertThat(oneShot.await(Duration.ofSeconds(30)).orElseThrow().type())
                    .isEqualTo(EventType.NODE_DATA_CHANGED);
            WatchedEvent last = null;
            for (int i = 0; i <= callers / 10; i++) {
                last = persistent.poll(Duration.ofSeconds(30)).orElseThrow();
            }
            assertThat(last.type()).isEqualTo(EventType.NODE_DATA_CHANGED);
            persistent.close();
            zk.deleteRecursive("/tls");
        }
    }

    @Test
    void theClientCertificateIsTheSessionsX509IdentityAndAnX509AclGrantsByIt() {
        try (ZkClient zk = client(server.connectString(), p12(alice).build()).build();
                ZkClient anonymous =
                        client(server.connectString(), p12(null).build()).build()) {
            assertThat(zk.whoAmI()).contains(new ClientInfo("x509", "CN=alice"));
            assertThat(anonymous.whoAmI()).noneMatch(info -> info.authScheme().equals("x509"));

            List<ACL> aliceOnly = List.of(new ACL(Perms.ALL, new Id("x509", "CN=alice")));
            zk.create(
                    "/alice-only",
                    "secret".getBytes(UTF_8),
                    CreateOptions.persistent().withAcl(aliceOnly));
            assertThat(zk.getData("/alice-only").data()).isEqualTo("secret".getBytes(UTF_8));
            assertThatThrownBy(() -> anonymous.getData("/alice-only")).isInstanceOf(ZkException.NoAuth.class);
            zk.delete("/alice-only");
        }
    }

    @Test
    void pemAndJksMaterialConnectAsWellAsPkcs12() throws Exception {
        // PEM: an unencrypted PKCS#8 key, and the same key encrypted (PBES2, AES-256)
        TlsSettings pem = TlsSettings.builder()
                .pemTrust(ca.pemCertificate())
                .pemKey(alice.pemPrivateKey(), alice.pemCertificate())
                .build();
        char[] keyPassword = "pem-key-password".toCharArray();
        Path encrypted = dir.resolve("alice-encrypted.pem");
        Files.writeString(encrypted, encryptedPem(Files.readAllBytes(alice.pemPrivateKey()), keyPassword));
        TlsSettings encryptedPem = TlsSettings.builder()
                .pemTrust(ca.pemCertificate())
                .pemKey(encrypted, keyPassword, alice.pemCertificate())
                .build();
        // JKS: the same stores, converted
        Path jksKey = toJks(alice.keyStore(), dir.resolve("alice.jks"));
        Path jksTrust = toJks(ca.trustStore(), dir.resolve("trust.jks"));
        TlsSettings jks = TlsSettings.builder()
                .trustStore(jksTrust, ca.storePassword())
                .keyStore(jksKey, ca.storePassword())
                .build();
        for (TlsSettings tls : List.of(pem, encryptedPem, jks)) {
            try (ZkClient zk = client(server.connectString(), tls).build()) {
                assertThat(zk.whoAmI()).as(tls.toString()).contains(new ClientInfo("x509", "CN=alice"));
            }
        }
        assertThat(encryptedPem.toString()).doesNotContain("pem-key-password").contains("encrypted");
    }

    @Test
    void anApplicationsOwnSslContextWorksAndIsVerifiedTheSameWay() throws Exception {
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ca.trustStore())) {
            trust.load(in, ca.storePassword());
        }
        tmf.init(trust);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        try (ZkClient zk =
                client(server.connectString(), TlsSettings.of(context)).build()) {
            assertThat(zk.exists("/")).isPresent();
        }
        // the application's context cannot be wrapped, so a wrong name is told by the JDK's words
        try (TestCa other = TestCa.create("ctx-other")) {
            javax.net.ssl.SSLContext wrong = javax.net.ssl.SSLContext.getInstance("TLS");
            javax.net.ssl.TrustManagerFactory otherTmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
            KeyStore otherTrust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(other.trustStore())) {
                otherTrust.load(in, other.storePassword());
            }
            otherTmf.init(otherTrust);
            wrong.init(null, otherTmf.getTrustManagers(), null);
            assertThatThrownBy(() -> client(server.connectString(), TlsSettings.of(wrong))
                            .connectTimeout(Duration.ofSeconds(20))
                            .build())
                    .isInstanceOfSatisfying(
                            ZkException.TlsFailure.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_CERTIFICATE));
        }
    }

    @Test
    void aServerCertificateFromAnotherCaIsRefusedAsUntrusted() {
        try (TestCa other = TestCa.create("other-ca")) {
            TlsSettings wrongTrust = TlsSettings.builder()
                    .trustStore(other.trustStore(), other.storePassword())
                    .build();
            assertThatThrownBy(() -> client(server.connectString(), wrongTrust)
                            .connectTimeout(Duration.ofSeconds(20))
                            .build())
                    .isInstanceOfSatisfying(ZkException.TlsFailure.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.UNTRUSTED_CERTIFICATE);
                        assertThat(e.server()).isEqualTo(server.connectString());
                        assertThat(e.getMessage()).contains("not trusted");
                    });
        }
    }

    /**
     * A server whose certificate names another host, and that needs client certificates: refused
     * as a host name mismatch, by IP literal and by name; taken with verification off; and then a
     * client without a certificate is refused by the server.
     */
    @Test
    void aCertificateForAnotherHostIsRefusedUnlessVerificationIsOffAndAClientWithoutACertificateIsRefused() {
        TestCa.Issued otherName = ca.issue(TestCa.leaf("zk-other").dns("zk.other.test"));
        try (ZkServer misnamed =
                ZkServer.builder().tls(ca, otherName, ClientAuth.NEED).start()) {
            for (String connect : List.of(misnamed.connectString(), "localhost:" + misnamed.port())) {
                assertThatThrownBy(() -> client(connect, p12(alice).build())
                                .connectTimeout(Duration.ofSeconds(20))
                                .build())
                        .as(connect)
                        .isInstanceOfSatisfying(
                                ZkException.TlsFailure.class,
                                e -> assertThat(e.reason()).isEqualTo(Reason.HOSTNAME_MISMATCH));
            }
            TlsSettings unverified = p12(alice).withoutHostnameVerification().build();
            assertThat(unverified.verifiesHostname()).isFalse();
            try (ZkClient zk = client(misnamed.connectString(), unverified).build()) {
                assertThat(zk.whoAmI()).contains(new ClientInfo("x509", "CN=alice"));
            }
            TlsSettings noCertificate = p12(null).withoutHostnameVerification().build();
            assertThatThrownBy(() -> client(misnamed.connectString(), noCertificate)
                            .connectTimeout(Duration.ofSeconds(20))
                            .build())
                    .isInstanceOfSatisfying(
                            ZkException.TlsFailure.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.CLIENT_CERTIFICATE_REJECTED));
        }
    }

    @Test
    void anExpiredServerCertificateIsRefusedAsExpired() {
        TestCa.Issued expired = ca.issue(
                TestCa.leaf("zk-expired").dns("localhost").ip("127.0.0.1").validity(daysAgo(30), daysAgo(1)));
        try (ZkServer stale =
                ZkServer.builder().tls(ca, expired, ClientAuth.WANT).start()) {
            assertThatThrownBy(() -> client(stale.connectString(), p12(alice).build())
                            .connectTimeout(Duration.ofSeconds(20))
                            .build())
                    .isInstanceOfSatisfying(
                            ZkException.TlsFailure.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED_CERTIFICATE));
        }
    }

    @Test
    void aClientWithoutTlsAgainstTheTlsPortFailsWithinTheConnectTimeout() {
        assertThatThrownBy(() -> ZkClient.builder(server.connectString())
                        .connectTimeout(Duration.ofSeconds(3))
                        .build())
                .isInstanceOf(ZkException.ConnectionLoss.class);
    }

    @Test
    void aTlsClientAgainstAPlainTextPortIsRefusedAsNotTls() {
        try (ZkServer plain = ZkServer.start()) {
            assertThatThrownBy(() -> client(plain.connectString(), p12(alice).build())
                            .connectTimeout(Duration.ofSeconds(20))
                            .build())
                    .isInstanceOfSatisfying(
                            ZkException.TlsFailure.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.NOT_TLS));
            assertThat(plain.isRunning()).isTrue();
        }
    }

    @Test
    void noCommonCipherSuiteIsAProtocolMismatch() {
        TlsSettings rsaOnly = p12(alice)
                .protocols("TLSv1.2")
                .cipherSuites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256") // the server's key is EC
                .build();
        assertThatThrownBy(() -> client(server.connectString(), rsaOnly)
                        .connectTimeout(Duration.ofSeconds(20))
                        .build())
                .isInstanceOfSatisfying(
                        ZkException.TlsFailure.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.PROTOCOL_MISMATCH));
    }

    @Test
    void keyAndTrustFilesThatNeverLoadFailTheBuildAtOnce() throws Exception {
        Path garbage = dir.resolve("garbage.p12");
        Files.write(garbage, new byte[] {1, 2, 3});
        TlsSettings bad =
                TlsSettings.builder().trustStore(garbage, "pw".toCharArray()).build();
        assertThatThrownBy(() -> client(server.connectString(), bad).build())
                .isInstanceOfSatisfying(
                        ZkException.TlsFailure.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MATERIAL));
        TlsSettings wrongPassword = TlsSettings.builder()
                .trustStore(ca.trustStore(), "not-the-password".toCharArray())
                .build();
        assertThatThrownBy(() -> client(server.connectString(), wrongPassword).build())
                .isInstanceOfSatisfying(ZkException.TlsFailure.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.MATERIAL);
                    assertThat(e.getMessage()).doesNotContain("not-the-password");
                });
    }

    /**
     * The client's key files are rewritten (alice, then a garbage file, then bob); each restart
     * of the server makes the client reconnect, and the new connection shows which identity it
     * used. The garbage changes nothing and is reported once.
     */
    @Test
    void rotatedKeyFilesAreUsedByTheNextConnectionAndABadRewriteKeepsTheLastGoodOne() throws Exception {
        TestCa.Issued bob = ca.issue(TestCa.leaf("bob"));
        Path key = dir.resolve("client-key.pem");
        Path chain = dir.resolve("client-chain.pem");
        replace(alice.pemPrivateKey(), key);
        replace(alice.pemCertificate(), chain);
        List<ZkException.TlsFailure> reloadFailures = new CopyOnWriteArrayList<>();
        TlsSettings tls = TlsSettings.builder()
                .pemTrust(ca.pemCertificate())
                .pemKey(key, chain)
                .onReloadFailure(reloadFailures::add)
                .build();
        try (ZkClient zk = client(server.connectString(), tls).build()) {
            long session = zk.sessionId();
            zk.create("/rotating", null, CreateOptions.ephemeral());
            assertThat(zk.whoAmI()).contains(new ClientInfo("x509", "CN=alice"));

            Path garbage = dir.resolve("garbage.pem");
            Files.writeString(garbage, "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
            replace(garbage, key);
            server.restart();
            assertThat(zk.whoAmI()).contains(new ClientInfo("x509", "CN=alice"));
            assertThat(reloadFailures).hasSize(1);
            assertThat(reloadFailures.get(0).reason()).isEqualTo(Reason.MATERIAL);

            replace(bob.pemCertificate(), chain); // the chain first: until the key follows, they do not match
            replace(bob.pemPrivateKey(), key);
            server.restart();
            assertThat(zk.whoAmI()).contains(new ClientInfo("x509", "CN=bob"));
            assertThat(zk.sessionId()).isEqualTo(session);
            assertThat(zk.exists("/rotating")).isPresent();
        }
    }

    /**
     * The trust file is rewritten to trust another CA only: the next connection is refused, and a
     * call meanwhile fails with {@code ConnectionLoss} whose cause names the TLS failure; the file
     * rewritten back, the client reconnects on its own and the session lives on.
     */
    @Test
    void aRotatedTrustFileRulesTheNextConnectionAndCallsMeanwhileSayWhy() throws Exception {
        Path trust = dir.resolve("trust.pem");
        replace(ca.pemCertificate(), trust);
        try (TestCa other = TestCa.create("rotated-away-ca");
                ZkClient zk = client(
                                server.connectString(),
                                TlsSettings.builder()
                                        .pemTrust(trust)
                                        .keyStore(alice.keyStore(), ca.storePassword())
                                        .build())
                        .requestTimeout(Duration.ofSeconds(10))
                        .sessionTimeout(Duration.ofSeconds(60))
                        .build()) {
            long session = zk.sessionId();
            replace(other.pemCertificate(), trust);
            server.restart();
            assertThatThrownBy(() -> zk.exists("/")).isInstanceOfSatisfying(ZkException.ConnectionLoss.class, e -> {
                assertThat(e.getCause()).isNotNull();
                assertThat(e.getMessage()).contains("not trusted");
            });
            replace(ca.pemCertificate(), trust);
            Instant until = Instant.now().plus(Duration.ofSeconds(60));
            while (true) {
                try {
                    zk.exists("/");
                    break;
                } catch (ZkException.ConnectionLoss e) {
                    if (Instant.now().isAfter(until)) {
                        throw e;
                    }
                }
            }
            assertThat(zk.sessionId()).isEqualTo(session);
        }
    }

    /**
     * A paused server stops reading: the writer blocks in a TLS write while holding the TLS
     * socket's write lock, and the reader blocks in a read. Closing the client must still end
     * both (and so return), and nothing may be pinned meanwhile.
     */
    @Test
    void closeEndsABlockedTlsWriterAndReaderAndNothingIsPinnedUnderLoad() throws Exception {
        try (PinningDetector pins = PinningDetector.start();
                ZkClient zk = client(server.connectString(), p12(alice).build()).build()) {
            zk.create("/load", new byte[100]);
            int callers = 200;
            int rounds = 20;
            List<Thread> threads = new ArrayList<>();
            AtomicInteger done = new AtomicInteger();
            for (int i = 0; i < callers; i++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int r = 0; r < rounds; r++) {
                        zk.getData("/load");
                        done.incrementAndGet();
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(done).hasValue(callers * rounds);
            zk.delete("/load");
            pins.stopAndVerify();
        }

        ZkClient zk = client(server.connectString(), p12(alice).build())
                .requestTimeout(Duration.ofSeconds(120))
                .build();
        server.pause();
        try {
            byte[] big = new byte[900 * 1024];
            List<Thread> writers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                writers.add(Thread.ofVirtual().start(() -> {
                    try {
                        zk.create("/big-" + n, big);
                    } catch (ZkException expected) {
                        // the client closes under them
                    }
                }));
            }
            Thread.sleep(2_000); // let the writer fill the socket buffers and block
            Thread closer = Thread.ofVirtual().start(zk::close);
            closer.join(Duration.ofSeconds(90));
            assertThat(closer.isAlive()).as("close() returned").isFalse();
            for (Thread t : writers) {
                t.join(Duration.ofSeconds(30));
                assertThat(t.isAlive()).as("a caller ended").isFalse();
            }
        } finally {
            server.resume();
        }
    }

    @Test
    void nothingSecretIsLoggedAtTheFinestLevelThroughFailuresAndARotation() throws Exception {
        Logger root = Logger.getLogger("io.loomzk");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Handler handler = new StreamHandler(new PrintStream(bytes, true, UTF_8), new SimpleFormatter());
        handler.setLevel(Level.ALL);
        Level before = root.getLevel();
        root.setLevel(Level.ALL);
        root.addHandler(handler);
        char[] keyPassword = "very-secret-key-password".toCharArray();
        Path encrypted = dir.resolve("secret.pem");
        Files.writeString(encrypted, encryptedPem(Files.readAllBytes(alice.pemPrivateKey()), keyPassword));
        try {
            TlsSettings tls = TlsSettings.builder()
                    .trustStore(ca.trustStore(), ca.storePassword())
                    .pemKey(encrypted, keyPassword, alice.pemCertificate())
                    .build();
            try (ZkClient zk = client(server.connectString(), tls).build()) {
                zk.exists("/");
                Files.writeString(
                        encrypted,
                        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
                server.restart();
                zk.exists("/");
            }
            TlsSettings wrong = TlsSettings.builder()
                    .trustStore(ca.trustStore(), "another-secret-password".toCharArray())
                    .build();
            assertThatThrownBy(() -> client(server.connectString(), wrong).build())
                    .isInstanceOf(ZkException.TlsFailure.class)
                    .satisfies(e -> assertThat(e.toString()).doesNotContain("another-secret-password"));
            assertThat(tls.toString())
                    .doesNotContain("very-secret-key-password")
                    .doesNotContain(new String(ca.storePassword()));
        } finally {
            handler.flush();
            root.removeHandler(handler);
            root.setLevel(before);
        }
        String log = bytes.toString(UTF_8);
        assertThat(log).contains("TLS material"); // the failed reload was logged
        assertThat(log)
                .doesNotContain("very-secret-key-password")
                .doesNotContain("another-secret-password")
                .doesNotContain(new String(ca.storePassword()))
                .doesNotContain(Base64.getEncoder()
                        .encodeToString(alice.privateKey().getEncoded())
                        .substring(0, 40));
    }

    // ---- helpers

    static void replace(Path from, Path to) throws Exception {
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A PKCS#8 PEM key encrypted with PBES2 (HMAC-SHA256, AES-256-CBC), as OpenSSL writes it. */
    static String encryptedPem(byte[] pemKey, char[] password) throws Exception {
        String text = new String(pemKey, UTF_8);
        String b64 = text.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        byte[] pkcs8 = Base64.getDecoder().decode(b64);
        String algorithm = "PBEWithHmacSHA256AndAES_256";
        byte[] salt = new byte[16];
        byte[] iv = new byte[16];
        new java.security.SecureRandom().nextBytes(salt);
        new java.security.SecureRandom().nextBytes(iv);
        Cipher cipher = Cipher.getInstance(algorithm);
        cipher.init(
                Cipher.ENCRYPT_MODE,
                SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password)),
                new PBEParameterSpec(salt, 10_000, new IvParameterSpec(iv)));
        byte[] encrypted = cipher.doFinal(pkcs8);
        java.security.AlgorithmParameters pbes2 = java.security.AlgorithmParameters.getInstance("PBES2");
        pbes2.init(cipher.getParameters().getEncoded());
        byte[] der = new EncryptedPrivateKeyInfo(pbes2, encrypted).getEncoded();
        return "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END ENCRYPTED PRIVATE KEY-----\n";
    }

    private static Path toJks(Path p12, Path jks) throws Exception {
        KeyStore in = KeyStore.getInstance("PKCS12");
        try (InputStream s = Files.newInputStream(p12)) {
            in.load(s, ca.storePassword());
        }
        KeyStore out = KeyStore.getInstance("JKS");
        out.load(null, null);
        for (String alias : java.util.Collections.list(in.aliases())) {
            if (in.isKeyEntry(alias)) {
                out.setKeyEntry(
                        alias, in.getKey(alias, ca.storePassword()), ca.storePassword(), in.getCertificateChain(alias));
            } else {
                out.setCertificateEntry(alias, in.getCertificate(alias));
            }
        }
        try (OutputStream s = Files.newOutputStream(jks)) {
            out.store(s, ca.storePassword());
        }
        return jks;
    }

    static Instant daysAgo(int days) {
        return Instant.now().minus(Duration.ofDays(days));
    }
}
