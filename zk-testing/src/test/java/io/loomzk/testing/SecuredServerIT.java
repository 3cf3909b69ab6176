package io.loomzk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.data.ClientInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Secured servers proven with the official client: TLS-only with client certificates, and SASL
 * DIGEST-MD5 with and without enforcement. LoomZK's own client is tested against the same
 * servers in zk-client.
 */
class SecuredServerIT {
    private static final String JAAS_SECTION = "LoomZKSecuredServerIT";
    private static final String KERBEROS_SECTION = "LoomZKSecuredServerIT-kerberos";
    private static final Map<String, AppConfigurationEntry> SECTIONS = new ConcurrentHashMap<>();
    private static Configuration previous;

    @BeforeAll
    static void installClientLogin() {
        previous = Configuration.getConfiguration();
        SECTIONS.put(
                JAAS_SECTION,
                new AppConfigurationEntry(
                        "org.apache.zookeeper.server.auth.DigestLoginModule",
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                        Map.of("username", "bob", "password", "bob-secret")));
        // Only this test's own section: other clients in this JVM find no "Client" section.
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                AppConfigurationEntry entry = SECTIONS.get(name);
                return entry == null ? null : new AppConfigurationEntry[] {entry};
            }
        });
    }

    @AfterAll
    static void restoreLogin() {
        Configuration.setConfiguration(previous);
    }

    @Test
    void aTlsOnlyServerSeesTheClientCertificateAndRefusesPlainText() throws Exception {
        try (TestCa ca = TestCa.create("secured-it-ca")) {
            TestCa.Issued serverCert =
                    ca.issue(TestCa.leaf("zk-server").dns("localhost").ip("127.0.0.1"));
            TestCa.Issued alice = ca.issue(TestCa.leaf("alice"));
            try (ZkServer server =
                    ZkServer.builder().tls(ca, serverCert, ClientAuth.NEED).start()) {
                assertThat(server.isChildProcess()).isTrue();
                assertThat(Files.readString(server.logFile().orElseThrow()))
                        .doesNotContain(new String(ca.storePassword()));

                try (ZooKeeper zk = connect(server.connectString(), tlsConfig(ca, alice))) {
                    zk.create(
                            "/over-tls",
                            "x".getBytes(StandardCharsets.UTF_8),
                            ZooDefs.Ids.OPEN_ACL_UNSAFE,
                            CreateMode.PERSISTENT);
                    assertThat(zk.getData("/over-tls", false, null))
                            .asString(StandardCharsets.UTF_8)
                            .isEqualTo("x");
                    List<ClientInfo> who = zk.whoAmI();
                    assertThat(who).anySatisfy(info -> {
                        assertThat(info.getAuthScheme()).isEqualTo("x509");
                        assertThat(info.getUser()).isEqualTo("CN=alice");
                    });
                }

                ZKClientConfig plain = new ZKClientConfig();
                assertThatThrownBy(
                                () -> connect(server.connectString(), plain, 5).close())
                        .isInstanceOf(AssertionError.class)
                        .hasMessageContaining("did not connect");
            }
        }
    }

    @Test
    void aTlsEnsembleKeepsTheSessionWhenAMemberIsKilled() throws Exception {
        try (TestCa ca = TestCa.create("ensemble-ca")) {
            TestCa.Issued serverCert =
                    ca.issue(TestCa.leaf("zk-server").dns("localhost").ip("127.0.0.1"));
            TestCa.Issued alice = ca.issue(TestCa.leaf("alice"));
            try (ZkEnsemble ensemble =
                    ZkEnsemble.builder().tls(ca, serverCert, ClientAuth.WANT).start()) {
                try (ZooKeeper zk = connect(ensemble.connectString(), tlsConfig(ca, alice))) {
                    long session = zk.getSessionId();
                    zk.create("/mine", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
                    for (int i = 0; i < ensemble.size() - 1; i++) {
                        ensemble.kill(i); // the connected member among them, wherever the client is
                        ensemble.start(i);
                    }
                    assertThat(zk.exists("/mine", false)).isNotNull();
                    assertThat(zk.getSessionId()).isEqualTo(session);
                    assertThat(zk.exists("/mine", false).getEphemeralOwner()).isEqualTo(session);
                }
            }
        }
    }

    @Test
    void aDigestServerAuthenticatesAndAnEnforcingOneRefusesTheUnauthenticated() throws Exception {
        try (ZkServer server = ZkServer.builder()
                .saslDigestUser("bob", "bob-secret")
                .requireSasl()
                .start()) {
            ZKClientConfig sasl = new ZKClientConfig();
            sasl.setProperty(ZKClientConfig.LOGIN_CONTEXT_NAME_KEY, JAAS_SECTION);
            sasl.setProperty("zookeeper.fips-mode", "false"); // the 3.9 client refuses DIGEST-MD5 in FIPS mode
            try (ZooKeeper zk = connect(server.connectString(), sasl)) {
                zk.create("/sasl", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                assertThat(zk.whoAmI()).anySatisfy(info -> {
                    assertThat(info.getAuthScheme()).isEqualTo("sasl");
                    assertThat(info.getUser()).isEqualTo("bob");
                });
            }
            assertThat(Files.readString(server.logFile().orElseThrow())).doesNotContain("bob-secret");

            ZKClientConfig none = new ZKClientConfig();
            none.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "false");
            try (ZooKeeper zk = connect(server.connectString(), none, 5)) {
                assertThatThrownBy(() -> zk.getData("/sasl", false, null))
                        .isInstanceOfAny(
                                KeeperException.SessionClosedRequireAuthException.class,
                                KeeperException.ConnectionLossException.class,
                                KeeperException.SessionExpiredException.class);
            } catch (AssertionError notConnected) {
                // refused before the session was even established: also a refusal
                assertThat(notConnected).hasMessageContaining("did not connect");
            }
        }
    }

    @Test
    void aKerberosServerAuthenticatesAClientWithItsKeytab() throws Exception {
        try (TestKdc kdc = TestKdc.start("LOOMZK.TEST")) {
            Path serverKeytab = kdc.createPrincipal("zookeeper/localhost");
            Path aliceKeytab = kdc.createPrincipal("alice");
            // This JVM is the Kerberos client: the JDK reads krb5.conf once, at its first use.
            System.setProperty("java.security.krb5.conf", kdc.krb5Conf().toString());
            SECTIONS.put(
                    KERBEROS_SECTION,
                    new AppConfigurationEntry(
                            "com.sun.security.auth.module.Krb5LoginModule",
                            AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                            Map.of(
                                    "useKeyTab", "true",
                                    "keyTab", aliceKeytab.toString(),
                                    "principal", kdc.qualify("alice"),
                                    "storeKey", "true",
                                    "useTicketCache", "false",
                                    "refreshKrb5Config", "true")));
            try (ZkServer server = ZkServer.builder()
                    .kerberos(kdc.qualify("zookeeper/localhost"), serverKeytab, kdc.krb5Conf())
                    .requireSasl()
                    .start()) {
                ZKClientConfig gssapi = new ZKClientConfig();
                gssapi.setProperty(ZKClientConfig.LOGIN_CONTEXT_NAME_KEY, KERBEROS_SECTION);
                try (ZooKeeper zk = connect(server.connectString(), gssapi)) {
                    zk.create("/kerberos", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                    assertThat(zk.whoAmI()).anySatisfy(info -> {
                        assertThat(info.getAuthScheme()).isEqualTo("sasl");
                        assertThat(info.getUser()).isEqualTo("alice");
                    });
                }
            } finally {
                SECTIONS.remove(KERBEROS_SECTION);
            }
        }
    }

    private static ZKClientConfig tlsConfig(TestCa ca, TestCa.Issued identity) {
        ZKClientConfig tls = new ZKClientConfig();
        tls.setProperty("zookeeper.clientCnxnSocket", "org.apache.zookeeper.ClientCnxnSocketNetty");
        tls.setProperty("zookeeper.client.secure", "true");
        tls.setProperty("zookeeper.ssl.keyStore.location", identity.keyStore().toString());
        tls.setProperty("zookeeper.ssl.keyStore.password", new String(ca.storePassword()));
        tls.setProperty("zookeeper.ssl.keyStore.type", "PKCS12");
        tls.setProperty("zookeeper.ssl.trustStore.location", ca.trustStore().toString());
        tls.setProperty("zookeeper.ssl.trustStore.password", new String(ca.storePassword()));
        tls.setProperty("zookeeper.ssl.trustStore.type", "PKCS12");
        return tls;
    }

    private static ZooKeeper connect(String connectString, ZKClientConfig config) throws Exception {
        return connect(connectString, config, 20);
    }

    private static ZooKeeper connect(String connectString, ZKClientConfig config, int seconds) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(
                connectString,
                10_000,
                event -> {
                    if (event.getState() == KeeperState.SyncConnected) {
                        connected.countDown();
                    }
                },
                config);
        if (!connected.await(seconds, TimeUnit.SECONDS)) {
            zk.close(1_000);
            throw new AssertionError("did not connect to " + connectString + " within " + seconds + " s");
        }
        return zk;
    }
}
