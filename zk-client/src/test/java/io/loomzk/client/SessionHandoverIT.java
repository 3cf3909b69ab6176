package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.testing.LogCapture;
import io.loomzk.testing.ZkServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Taking a session over by id and password, on a real server: what the new holder gets, what the
 * old holder sees, and that the password never reaches a log line.
 */
@Timeout(120)
class SessionHandoverIT {
    private static ZkServer server;

    @BeforeAll
    static void start() {
        server = ZkServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aSecondClientTakesTheSessionOverKeepsItsEphemeralNodeAndTheFirstGivesItUp() throws Exception {
        String base = "/h-" + UUID.randomUUID();
        List<SessionState> firstStates = new CopyOnWriteArrayList<>();
        List<SessionState> secondStates = new CopyOnWriteArrayList<>();
        try (ZkClient observer = ZkClient.builder(server.connectString()).build();
                ZkClient first = ZkClient.builder(server.connectString())
                        .yieldSessionOnTakeover(true)
                        .sessionTimeout(Duration.ofSeconds(10))
                        .stateListener(firstStates::add)
                        .build()) {
            observer.create(base, null);
            first.create(base + "/eph", "mine".getBytes(StandardCharsets.UTF_8), CreateOptions.ephemeral());
            SessionCredentials credentials = first.sessionCredentials();

            try (ZkClient second = ZkClient.builder(server.connectString())
                    .yieldSessionOnTakeover(true)
                    .sessionTimeout(Duration.ofSeconds(10))
                    .session(credentials)
                    .stateListener(secondStates::add)
                    .build()) {
                assertThat(second.sessionId()).isEqualTo(first.sessionId());
                assertThat(second.sessionPassword()).isEqualTo(credentials.password());

                // the first client is kicked by the server, takes the session back, and gives up at
                // the third kick; the second keeps it
                assertThat(first.awaitState(Duration.ofSeconds(30), SessionState.EXPIRED))
                        .isEqualTo(SessionState.EXPIRED);
                Listeners.awaitDelivered(firstStates, s -> s.contains(SessionState.EXPIRED));
                System.out.println("first client saw " + firstStates + "; second saw " + secondStates);
                // kicked, it takes the session back twice and gives it up at the third kick: its
                // last connection ends straight in EXPIRED
                assertThat(firstStates)
                        .containsExactly(
                                SessionState.CONNECTED,
                                SessionState.SUSPENDED,
                                SessionState.CONNECTED,
                                SessionState.SUSPENDED,
                                SessionState.CONNECTED,
                                SessionState.EXPIRED);
                assertThatThrownBy(() -> first.getData(base)).isInstanceOf(ZkException.SessionExpired.class);

                // the second holds the session: it writes as the owner of the ephemeral node
                assertThat(second.awaitState(Duration.ofSeconds(30), SessionState.CONNECTED))
                        .isEqualTo(SessionState.CONNECTED);
                second.setData(base + "/eph", "taken".getBytes(StandardCharsets.UTF_8));
                NodeData eph = observer.getData(base + "/eph");
                assertThat(eph.stat().ephemeralOwner()).isEqualTo(second.sessionId());
                assertThat(new String(eph.data(), StandardCharsets.UTF_8)).isEqualTo("taken");

                // closing the client that gave up does not close the session it gave away
                first.close();
                assertThat(observer.exists(base + "/eph")).isPresent();
                assertThat(second.state()).isEqualTo(SessionState.CONNECTED);
                assertThat(secondStates).doesNotContain(SessionState.EXPIRED);
            }
            // the new holder's close ends the session: the ephemeral node goes with it
            assertThat(observer.exists(base + "/eph")).isEmpty();
        }
    }

    @Test
    void aHandOverToASessionThatIsGoneFailsWithSessionExpired() throws Exception {
        SessionCredentials closed;
        try (ZkClient gone = ZkClient.builder(server.connectString()).build()) {
            closed = gone.sessionCredentials();
        }
        assertThatThrownBy(() -> ZkClient.builder(server.connectString())
                        .session(closed)
                        .connectTimeout(Duration.ofSeconds(20))
                        .build())
                .isInstanceOf(ZkException.SessionExpired.class);

        try (ZkClient live = ZkClient.builder(server.connectString()).build()) {
            byte[] wrong = live.sessionPassword();
            wrong[0] ^= 1;
            // a wrong password: the server answers as for an unknown session (it closes the
            // holder's connection first, so the holder reconnects and keeps its session)
            assertThatThrownBy(() -> ZkClient.builder(server.connectString())
                            .session(live.sessionId(), wrong)
                            .build())
                    .isInstanceOf(ZkException.SessionExpired.class);
            assertThat(live.awaitState(Duration.ofSeconds(20), SessionState.CONNECTED))
                    .isEqualTo(SessionState.CONNECTED);
            assertThat(live.exists("/")).isPresent();
        }
    }

    @Test
    void badCredentialsAreRejectedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> ZkClient.builder(server.connectString()).session(0, new byte[16]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ZkClient.builder(server.connectString()).session(5, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ZkClient.builder(server.connectString()).session(5, null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void thePasswordNeverReachesALogLineAnExceptionOrToString() throws Exception {
        LogCapture log = LogCapture.start("io.loomzk", Level.ALL);
        List<String> lines = log.lines();
        List<String> texts = new CopyOnWriteArrayList<>();
        byte[] password;
        List<SessionState> firstStates = new CopyOnWriteArrayList<>();
        try (ZkClient first = ZkClient.builder(server.connectString())
                .yieldSessionOnTakeover(true)
                .sessionTimeout(Duration.ofSeconds(10))
                .stateListener(firstStates::add)
                .build()) {
            password = first.sessionPassword();
            SessionCredentials credentials = first.sessionCredentials();
            texts.add(credentials.toString());
            texts.add(first.toString());
            List<SessionState> secondStates = new CopyOnWriteArrayList<>();
            try (ZkClient second = ZkClient.builder(server.connectString())
                    .yieldSessionOnTakeover(true)
                    .session(credentials)
                    .stateListener(secondStates::add)
                    .build()) {
                texts.add(second.toString());
                assertThat(first.awaitState(Duration.ofSeconds(30), SessionState.EXPIRED))
                        .as(
                                "first client saw %s, second %s; log: %s",
                                firstStates,
                                secondStates,
                                lines.stream()
                                        .filter(l -> !l.contains("FINEST"))
                                        .toList())
                        .isEqualTo(SessionState.EXPIRED);
                // the second may be between connections (the first's last reconnect cut it)
                assertThat(second.awaitState(Duration.ofSeconds(20), SessionState.CONNECTED))
                        .isEqualTo(SessionState.CONNECTED);
                assertThat(second.dropConnection()).isTrue();
                assertThat(second.awaitState(Duration.ofSeconds(20), SessionState.CONNECTED))
                        .isEqualTo(SessionState.CONNECTED);
                try {
                    first.getData("/");
                } catch (ZkException e) {
                    texts.add(e.toString());
                }
            }
            try {
                ZkClient.builder(server.connectString()).session(credentials).build();
            } catch (ZkException e) {
                texts.add(e.toString());
            }
        } finally {
            log.close();
        }
        texts.addAll(lines);
        assertThat(lines).as("the client logged at fine levels").isNotEmpty();
        String hex = HexFormat.of().formatHex(password);
        List<String> forms = List.of(
                hex,
                hex.toUpperCase(),
                Base64.getEncoder().encodeToString(password),
                java.util.Arrays.toString(password),
                new String(password, StandardCharsets.ISO_8859_1));
        for (String text : texts) {
            for (String form : forms) {
                assertThat(text).doesNotContain(form);
            }
        }
        System.out.println("checked " + lines.size() + " log lines and " + (texts.size() - lines.size()) + " texts");
    }
}
