package io.loomzk.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.protocol.ACL;
import io.loomzk.protocol.ClientInfo;
import io.loomzk.protocol.ErrorCode;
import io.loomzk.protocol.Id;
import io.loomzk.protocol.Perms;
import io.loomzk.testing.PinningDetector;
import io.loomzk.testing.TestKdc;
import io.loomzk.testing.ZkProxy;
import io.loomzk.testing.ZkServer;
import io.loomzk.testing.ZkVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.URIParameter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.security.auth.Subject;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SASL GSSAPI against a real Kerberos server (a child JVM with a keytab) and a real KDC (Apache
 * Kerby, in this JVM), the server requiring SASL: a JAAS keytab login, a subject the application
 * logged in, a wrong keytab, the server principal's conventions, a reconnection.
 */
@Timeout(240)
class SaslKerberosIT {
    private static final String REALM = "LOOMZK.TEST";
    private static final List<ACL> ALICE_ONLY = List.of(new ACL(Perms.ALL, new Id("sasl", "alice")));

    private static TestKdc kdc;
    private static ZkServer server;
    private static Path serverKeytab;
    private static Path aliceKeytab;
    private static Path bobKeytab;
    private static Path jaasFile;
    private static Configuration before;

    @BeforeAll
    static void startKdcAndServer() throws Exception {
        kdc = TestKdc.start(REALM);
        serverKeytab = kdc.createPrincipal("zookeeper/localhost");
        aliceKeytab = kdc.createPrincipal("alice");
        bobKeytab = kdc.createPrincipal("bob");
        // this JVM is the Kerberos client: the JDK reads krb5.conf at its first Kerberos call
        System.setProperty("java.security.krb5.conf", kdc.krb5Conf().toString());
        jaasFile = Files.createTempFile("loomzk-krb5-jaas-", ".conf");
        Files.writeString(
                jaasFile,
                section("LoomZKAlice", aliceKeytab, "alice") + section("LoomZKWrongKeytab", bobKeytab, "alice"));
        before = Configuration.getConfiguration();
        Configuration.setConfiguration(
                Configuration.getInstance("JavaLoginConfig", new URIParameter(jaasFile.toUri())));
        server = ZkServer.builder()
                .kerberos(kdc.qualify("zookeeper/localhost"), serverKeytab, kdc.krb5Conf())
                .requireSasl()
                .start();
    }

    private static String section(String name, Path keytab, String principal) {
        return """
                %s {
                  com.sun.security.auth.module.Krb5LoginModule required
                    useKeyTab=true
                    keyTab="%s"
                    principal="%s@%s"
                    storeKey=true
                    useTicketCache=false
                    refreshKrb5Config=true;
                };
                """.formatted(name, keytab.toAbsolutePath(), principal, REALM);
    }

    @AfterAll
    static void stop() throws Exception {
        if (before != null) {
            Configuration.setConfiguration(before);
        }
        if (server != null) {
            server.close();
        }
        if (kdc != null) {
            kdc.close();
        }
        if (jaasFile != null) {
            Files.deleteIfExists(jaasFile);
        }
    }

    @Test
    void aJaasKeytabLoginAuthenticatesAndAnAclGrantsByThePrincipal() {
        // the exchange, KDC round trips included, runs on the session's virtual thread: no pinning
        try (PinningDetector pins = PinningDetector.start();
                ZkClient zk = ZkClient.builder(server.connectString())
                        .sasl(SaslSettings.fromJaas("LoomZKAlice"))
                        .build()) {
            assertThat(zk.whoAmI()).contains(new ClientInfo("sasl", "alice"));
            zk.create("/alices", "a".getBytes(UTF_8), CreateOptions.persistent().withAcl(ALICE_ONLY));
            assertThat(zk.getData("/alices").data()).asString(UTF_8).isEqualTo("a");
            pins.stopAndVerify();
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = ZkVersion.class,
            names = {"V3_5", "V3_6", "V3_7", "V3_8"})
    void olderLinesAuthenticateWithKerberos(ZkVersion version) {
        try (ZkServer old = ZkServer.builder()
                        .version(version)
                        .kerberos(kdc.qualify("zookeeper/localhost"), serverKeytab, kdc.krb5Conf())
                        .start();
                ZkClient zk = ZkClient.builder(old.connectString())
                        .sasl(SaslSettings.fromJaas("LoomZKAlice"))
                        .build();
                ZkClient anonymous = ZkClient.builder(old.connectString()).build()) {
            // whoAmI needs 3.7: an ACL by the principal shows the identity on every line
            zk.create(
                    "/alice-" + version,
                    "k".getBytes(UTF_8),
                    CreateOptions.persistent().withAcl(ALICE_ONLY));
            assertThat(zk.getData("/alice-" + version).data()).asString(UTF_8).isEqualTo("k");
            assertThatThrownBy(() -> anonymous.getData("/alice-" + version)).isInstanceOf(ZkException.NoAuth.class);
        }
    }

    @Test
    void aSubjectTheApplicationLoggedInAuthenticates() throws Exception {
        Configuration inCode = new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {
                    new AppConfigurationEntry(
                            "com.sun.security.auth.module.Krb5LoginModule",
                            AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                            Map.of(
                                    "useKeyTab", "true",
                                    "keyTab", aliceKeytab.toString(),
                                    "principal", "alice@" + REALM,
                                    "storeKey", "true",
                                    "useTicketCache", "false",
                                    "refreshKrb5Config", "true"))
                };
            }
        };
        LoginContext login = new LoginContext("any", new Subject(), null, inCode);
        login.login();
        try (ZkClient zk = ZkClient.builder(server.connectString())
                .sasl(SaslSettings.kerberos(login.getSubject()))
                .build()) {
            assertThat(zk.whoAmI()).contains(new ClientInfo("sasl", "alice"));
        } finally {
            login.logout();
        }
    }

    @Test
    void aWrongKeytabFailsTheLoginAndEndsTheSession() {
        assertThatThrownBy(() -> ZkClient.builder(server.connectString())
                        .sasl(SaslSettings.fromJaas("LoomZKWrongKeytab"))
                        .build())
                .isInstanceOf(ZkException.AuthFailed.class)
                .hasMessageContaining("SASL login failed")
                .hasMessageContaining("keytab does not hold the principal");
    }

    @Test
    void theServerPrincipalFollowsTheOfficialConventions() {
        // 127.0.0.1 canonicalizes to localhost: zookeeper/localhost (the default, used above)
        // without canonicalization the principal is zookeeper/127.0.0.1, which the KDC does not know
        assertThatThrownBy(() -> ZkClient.builder(server.connectString())
                        .sasl(SaslSettings.fromJaas("LoomZKAlice").canonicalizeHostName(false))
                        .build())
                .isInstanceOf(ZkException.AuthFailed.class)
                .hasMessageContaining("GSSAPI");
        // the host as the connect string names it
        try (ZkClient zk = ZkClient.builder("localhost:" + server.port())
                .sasl(SaslSettings.fromJaas("LoomZKAlice").canonicalizeHostName(false))
                .build()) {
            assertThat(zk.whoAmI()).contains(new ClientInfo("sasl", "alice"));
        }
        // a fixed principal, whatever the host
        try (ZkClient zk = ZkClient.builder(server.connectString())
                .sasl(SaslSettings.fromJaas("LoomZKAlice")
                        .canonicalizeHostName(false)
                        .serverPrincipal("zookeeper/localhost@" + REALM))
                .build()) {
            assertThat(zk.whoAmI()).contains(new ClientInfo("sasl", "alice"));
        }
        // another service name
        assertThatThrownBy(() -> ZkClient.builder(server.connectString())
                        .sasl(SaslSettings.fromJaas("LoomZKAlice").serviceName("zk"))
                        .build())
                .isInstanceOf(ZkException.AuthFailed.class);
    }

    @Test
    void aKerberosSessionSurvivesReconnectionsAndTheServerRefusesTheUnauthenticated() throws Exception {
        try (ZkProxy proxy = ZkProxy.start(server.connectString());
                ZkClient zk = ZkClient.builder(proxy.connectString())
                        .sasl(SaslSettings.fromJaas("LoomZKAlice"))
                        .sessionTimeout(Duration.ofSeconds(30))
                        .requestTimeout(Duration.ofSeconds(40))
                        .build()) {
            long session = zk.sessionId();
            zk.create(
                    "/alice-eph", "e".getBytes(UTF_8), CreateOptions.ephemeral().withAcl(ALICE_ONLY));
            for (int i = 0; i < 2; i++) {
                proxy.cutAll();
                assertThat(SaslDigestIT.readRetrying(zk, "/alice-eph")).isEqualTo("e");
            }
            assertThat(zk.sessionId()).isEqualTo(session);
            assertThat(zk.whoAmI()).contains(new ClientInfo("sasl", "alice"));
        }
        assertThatThrownBy(() -> {
                    try (ZkClient anonymous =
                            ZkClient.builder(server.connectString()).build()) {
                        anonymous.exists("/");
                    }
                })
                .isInstanceOf(ZkException.AuthFailed.class)
                .satisfies(e ->
                        assertThat(((ZkException) e).code()).isEqualTo(ErrorCode.SESSION_CLOSED_REQUIRE_SASL_AUTH));
    }
}
