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
import io.loomzk.testing.ZkProxy;
import io.loomzk.testing.ZkServer;
import io.loomzk.testing.ZkVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.URIParameter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.login.Configuration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SASL DIGEST-MD5 against real servers (child JVMs with a JAAS {@code Server} section): the
 * identity it gives, ACLs by it, a refused password, reconnections, calls made during the
 * exchange, servers that require SASL, and the older server lines.
 */
@Timeout(240)
class SaslDigestIT {
    private static final String BOB_PASSWORD = "bob-Secret-4242";
    private static final List<ACL> BOB_ONLY = List.of(new ACL(Perms.ALL, new Id("sasl", "bob")));

    private static ZkServer server;
    private static ZkServer enforcing;

    @BeforeAll
    static void startServers() {
        server = ZkServer.builder()
                .saslDigestUser("bob", BOB_PASSWORD)
                .saslDigestUser("carol", "carol-pw")
                .start();
        enforcing = ZkServer.builder()
                .saslDigestUser("bob", BOB_PASSWORD)
                .requireSasl()
                .start();
    }

    @AfterAll
    static void stopServers() {
        if (server != null) {
            server.close();
        }
        if (enforcing != null) {
            enforcing.close();
        }
    }

    private static ZkClientBuilder bob(String connectString) {
        return ZkClient.builder(connectString).sasl(SaslSettings.digest("bob", BOB_PASSWORD.toCharArray()));
    }

    @Test
    void digestLoginGivesASaslIdentityThatAnAclGrantsBy() {
        try (PinningDetector pins = PinningDetector.start();
                ZkClient zk = bob(server.connectString()).build();
                ZkClient carol = ZkClient.builder(server.connectString())
                        .sasl(SaslSettings.digest("carol", "carol-pw".toCharArray()))
                        .build();
                ZkClient anonymous = ZkClient.builder(server.connectString()).build()) {
            assertThat(zk.whoAmI()).contains(new ClientInfo("sasl", "bob"));
            assertThat(carol.whoAmI()).contains(new ClientInfo("sasl", "carol"));
            zk.create(
                    "/bobs", "mine".getBytes(UTF_8), CreateOptions.persistent().withAcl(BOB_ONLY));
            assertThat(zk.getData("/bobs").data()).asString(UTF_8).isEqualTo("mine");
            assertThatThrownBy(() -> carol.getData("/bobs")).isInstanceOf(ZkException.NoAuth.class);
            assertThatThrownBy(() -> anonymous.getData("/bobs")).isInstanceOf(ZkException.NoAuth.class);
            pins.stopAndVerify();
        }
    }

    @Test
    void aWrongPasswordEndsTheSessionAsAuthFailedWithTheReason() {
        List<SessionState> states = new CopyOnWriteArrayList<>();
        char[] wrong = "not-bobs-password".toCharArray();
        SaslSettings settings = SaslSettings.digest("bob", wrong);
        assertThat(settings.toString()).contains("bob").doesNotContain("not-bobs-password");
        assertThatThrownBy(() -> ZkClient.builder(server.connectString())
                        .sasl(settings)
                        .connectTimeout(Duration.ofSeconds(30))
                        .stateListener(states::add)
                        .build())
                .isInstanceOf(ZkException.AuthFailed.class)
                .satisfies(e -> {
                    ZkException z = (ZkException) e;
                    assertThat(z.code()).isEqualTo(ErrorCode.AUTH_FAILED);
                    assertThat(z.isTerminal()).isTrue();
                    assertThat(z.getMessage())
                            .contains("DIGEST-MD5")
                            .contains("refused")
                            .doesNotContain("not-bobs-password");
                });
        assertThat(states).contains(SessionState.AUTH_FAILED);
    }

    @Test
    void theSessionSurvivesReconnectionsAndAServerRestartWithSaslRunAgain() throws Exception {
        Queue<String> trace = new ConcurrentLinkedQueue<>();
        try (ZkProxy proxy = ZkProxy.builder(server.connectString())
                        .trace(trace::add)
                        .start();
                ZkClient zk = bob(proxy.connectString())
                        .sessionTimeout(Duration.ofSeconds(30))
                        .requestTimeout(Duration.ofSeconds(40))
                        .build()) {
            long session = zk.sessionId();
            zk.create(
                    "/bob-survives",
                    "v".getBytes(UTF_8),
                    CreateOptions.persistent().withAcl(BOB_ONLY));
            zk.create("/bob-survives/eph", null, CreateOptions.ephemeral().withAcl(BOB_ONLY));
            for (int i = 0; i < 3; i++) {
                proxy.cutAll();
                assertThat(readRetrying(zk, "/bob-survives")).isEqualTo("v");
            }
            server.restart(); // same port and data: the session lives in the snapshot
            assertThat(readRetrying(zk, "/bob-survives")).isEqualTo("v");
            assertThat(zk.exists("/bob-survives/eph")).isPresent();
            assertThat(zk.sessionId()).isEqualTo(session);
            assertThat(zk.whoAmI()).contains(new ClientInfo("sasl", "bob"));
            // every connection (the first, three cuts, the restart) authenticated first
            List<List<String>> connections = requestsPerConnection(trace);
            assertThat(connections).hasSizeGreaterThanOrEqualTo(5);
            for (List<String> requests : connections) {
                assertThat(requests)
                        .as(connections.toString())
                        .isNotEmpty()
                        .first()
                        .isEqualTo("SASL");
            }
        }
    }

    @Test
    void callsMadeDuringTheExchangeWaitForItOnAServerThatRequiresSasl() throws Exception {
        Queue<String> trace = new ConcurrentLinkedQueue<>();
        try (ZkProxy proxy = ZkProxy.builder(enforcing.connectString())
                        .trace(trace::add)
                        .start();
                ZkClient zk = bob(proxy.connectString())
                        .sessionTimeout(Duration.ofSeconds(30))
                        .requestTimeout(Duration.ofSeconds(60))
                        .build()) {
            long session = zk.sessionId();
            zk.create(
                    "/waiting", "w".getBytes(UTF_8), CreateOptions.persistent().withAcl(BOB_ONLY));
            zk.exists("/waiting/none"); // no node
            zk.existsAndWatch("/waiting/later"); // a watch to re-arm after the SASL exchange
            proxy.delay(Duration.ofMillis(300)); // every SASL round trip now takes over half a second
            proxy.cutAll();
            awaitNotConnected(zk); // so that every call below is made while the client reconnects
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                callers.add(Thread.ofVirtual().name("sasl-caller-" + i).start(() -> {
                    try {
                        assertThat(zk.getData("/waiting").data())
                                .asString(UTF_8)
                                .isEqualTo("w");
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            for (Thread t : callers) {
                t.join();
            }
            proxy.delay(Duration.ZERO);
            assertThat(failures).isEmpty();
            // a request before the exchange completed would have ended the session on this server
            assertThat(zk.state()).isEqualTo(SessionState.CONNECTED);
            assertThat(zk.sessionId()).isEqualTo(session);
            List<List<String>> connections = requestsPerConnection(trace);
            assertThat(connections).hasSizeGreaterThanOrEqualTo(2);
            List<String> last = connections.getLast();
            int firstOther = 0;
            while (firstOther < last.size() && last.get(firstOther).equals("SASL")) {
                firstOther++;
            }
            assertThat(firstOther).as("SASL rounds first: " + last).isGreaterThanOrEqualTo(2);
            assertThat(last.subList(firstOther, last.size()))
                    .doesNotContain("SASL")
                    .contains("GET_DATA");
        }
    }

    @Test
    void aServerThatRequiresSaslRefusesAClientWithoutIt() {
        try (ZkClient zk = bob(enforcing.connectString()).build()) {
            zk.create("/enforced", null);
            assertThat(zk.whoAmI()).contains(new ClientInfo("sasl", "bob"));
        }
        assertThatThrownBy(() -> {
                    try (ZkClient anonymous =
                            ZkClient.builder(enforcing.connectString()).build()) {
                        anonymous.exists("/enforced");
                    }
                })
                .isInstanceOf(ZkException.AuthFailed.class)
                .satisfies(
                        e -> assertThat(((ZkException) e).code()).isEqualTo(ErrorCode.SESSION_CLOSED_REQUIRE_SASL_AUTH))
                .hasMessageContaining("requires SASL");
        assertThatThrownBy(() -> ZkClient.builder(enforcing.connectString())
                        .sasl(SaslSettings.digest("bob", "wrong".toCharArray()))
                        .build())
                .isInstanceOf(ZkException.AuthFailed.class)
                .hasMessageContaining("requires SASL");
    }

    @Test
    void aJaasFileSectionGivesTheDigestCredentials() throws Exception {
        Path file = Files.createTempFile("loomzk-jaas-", ".conf");
        Configuration before = Configuration.getConfiguration();
        try {
            Files.writeString(file, """
                    LoomZKDigest {
                      org.apache.zookeeper.server.auth.DigestLoginModule required
                        username="bob"
                        password="%s";
                    };
                    """.formatted(BOB_PASSWORD));
            Configuration.setConfiguration(
                    Configuration.getInstance("JavaLoginConfig", new URIParameter(file.toUri())));
            try (ZkClient zk = ZkClient.builder(server.connectString())
                    .sasl(SaslSettings.fromJaas("LoomZKDigest"))
                    .build()) {
                assertThat(zk.whoAmI()).contains(new ClientInfo("sasl", "bob"));
            }
            assertThatThrownBy(() -> ZkClient.builder(server.connectString())
                            .sasl(SaslSettings.fromJaas("NoSuchSection"))
                            .build())
                    .isInstanceOf(ZkException.AuthFailed.class)
                    .hasMessageContaining("no JAAS section 'NoSuchSection'");
        } finally {
            Configuration.setConfiguration(before);
            Files.deleteIfExists(file);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = ZkVersion.class,
            names = {"V3_5", "V3_6", "V3_7", "V3_8"})
    void olderLinesAuthenticateRefuseAndEnforce(ZkVersion version) {
        try (ZkServer old = ZkServer.builder()
                .version(version)
                .saslDigestUser("bob", BOB_PASSWORD)
                .requireSasl()
                .start()) {
            try (ZkClient zk = bob(old.connectString()).build()) {
                zk.create("/old", null, CreateOptions.persistent().withAcl(BOB_ONLY));
                assertThat(zk.exists("/old")).isPresent();
            }
            assertThatThrownBy(() -> ZkClient.builder(old.connectString())
                            .sasl(SaslSettings.digest("bob", "wrong".toCharArray()))
                            .build())
                    .isInstanceOf(ZkException.AuthFailed.class);
            assertThatThrownBy(() -> {
                        try (ZkClient anonymous =
                                ZkClient.builder(old.connectString()).build()) {
                            anonymous.exists("/old");
                        }
                    })
                    .isInstanceOf(ZkException.AuthFailed.class)
                    .satisfies(e ->
                            assertThat(((ZkException) e).code()).isEqualTo(ErrorCode.SESSION_CLOSED_REQUIRE_SASL_AUTH));
        }
    }

    /**
     * Reads a node's data as text; a read sent on a connection that then turns out to be dead fails
     * with connection loss and is safe to repeat (bounded).
     */
    static String readRetrying(ZkClient zk, String path) {
        for (int attempt = 1; ; attempt++) {
            try {
                return new String(zk.getData(path).data(), UTF_8);
            } catch (ZkException.ConnectionLoss e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }

    /** Waits (bounded) until the client has seen its connection go. */
    static void awaitNotConnected(ZkClient zk) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (zk.state() == SessionState.CONNECTED) {
            assertThat(System.nanoTime() - deadline).as("still connected").isNegative();
            Thread.sleep(5);
        }
    }

    private static final Pattern REQUEST = Pattern.compile("c->s xid=-?\\d+ (\\w+)");

    /**
     * The op names of the requests on each connection the server accepted a session on, in order
     * (pings and handshakes left out).
     */
    static List<List<String>> requestsPerConnection(Queue<String> trace) {
        List<List<String>> connections = new ArrayList<>();
        List<String> current = null;
        for (String line : trace) {
            if (line.contains("c->s connect ")) {
                current = new ArrayList<>();
                continue;
            }
            if (line.contains("s->c connected ") && current != null) {
                connections.add(current);
                continue;
            }
            Matcher m = REQUEST.matcher(line);
            if (m.find() && current != null && !m.group(1).equals("PING")) {
                current.add(m.group(1));
            }
        }
        return connections;
    }
}
