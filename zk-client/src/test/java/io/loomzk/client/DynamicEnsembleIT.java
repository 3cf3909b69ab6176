package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.testing.ZkEnsemble;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A live client's server list: replaced by hand ({@code updateServerList}) and followed from the
 * ensemble's configuration as a real 3-server ensemble is reconfigured (a member removed and
 * added back).
 */
@Timeout(300)
class DynamicEnsembleIT {
    private static final String SUPER_PASSWORD = "reconfig-test-secret";
    private static ZkEnsemble ensemble;

    @BeforeAll
    static void start() {
        ensemble = ZkEnsemble.builder()
                .reconfigEnabled()
                .jvmOptions("-Dzookeeper.DigestAuthenticationProvider.superDigest="
                        + Acls.digestId("super", SUPER_PASSWORD))
                .start();
    }

    @AfterAll
    static void stop() {
        if (ensemble != null) {
            ensemble.close();
        }
    }

    /** On member 0 alone: the tests never remove it, so a removal never cuts the admin off. */
    private static ZkClient admin() {
        return ZkClient.builder(ensemble.connectString(0))
                .auth("digest", Acls.digestCredentials("super", SUPER_PASSWORD))
                .build();
    }

    /** Which member serves the session now (from each member's {@code cons}), or -1 for none. */
    private static int servingMember(long sessionId) throws Exception {
        String id = "sid=0x" + Long.toHexString(sessionId);
        for (int i = 0; i < ensemble.size(); i++) {
            if (!ensemble.isRunning(i)) {
                continue;
            }
            String cons = FourLetterWords.ask(
                    new InetSocketAddress("127.0.0.1", ensemble.clientPort(i)), "cons", Duration.ofSeconds(5));
            if (cons.contains(id + ",") || cons.contains(id + ")")) {
                return i;
            }
        }
        return -1;
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(100);
        }
    }

    private static int serving(long sessionId) {
        try {
            return servingMember(sessionId);
        } catch (Exception e) {
            return -2;
        }
    }

    @Test
    void aSessionMovesWhenItsServerLeavesTheListAndStaysOtherwise() throws Exception {
        try (ZkClient zk = ZkClient.builder(ensemble.connectString(0)).build()) {
            Reconfigs.createEphemeral(zk, "/moving-" + zk.sessionId(), Duration.ofSeconds(60));
            long session = zk.sessionId();
            eventually("served by member 0", () -> serving(session) == 0);

            assertThat(zk.updateServerList(ensemble.connectString(1) + "," + ensemble.connectString(2)))
                    .as("its server is no longer listed")
                    .isTrue();
            eventually("served by member 1 or 2", () -> {
                int m = serving(session);
                return m == 1 || m == 2;
            });
            assertThat(zk.sessionId()).isEqualTo(session);
            assertThat(zk.awaitState(Duration.ofSeconds(30), SessionState.CONNECTED))
                    .isEqualTo(SessionState.CONNECTED);
            assertThat(zk.exists("/moving-" + session)).as("the ephemeral node").isPresent();

            int now = servingMember(session);
            assertThat(zk.updateServerList(ensemble.connectString(now) + "," + ensemble.connectString(0)))
                    .as("its server is still listed and the list did not grow: it stays")
                    .isFalse();
            Thread.sleep(500);
            assertThat(servingMember(session)).isEqualTo(now);

            assertThatThrownBy(() -> zk.updateServerList(ensemble.connectString(0) + "/other"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("chroot");
            assertThatThrownBy(() -> zk.updateServerList("")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void whenTheListGrowsSessionsSpreadOverTheNewServers() throws Exception {
        int clients = 24;
        List<ZkClient> all = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                all.add(ZkClient.builder(ensemble.connectString(0)).build());
            }
            int count = 0;
            for (ZkClient zk : all) {
                if (zk.updateServerList(ensemble.connectString())) {
                    count++;
                }
            }
            int moved = count;
            // each moves with probability 1 - 1/3: 16 expected; below 6 has odds of about 1e-5
            assertThat(moved).isBetween(6, clients);
            for (ZkClient zk : all) {
                Reconfigs.createEphemeral(
                        zk, "/spread-" + zk.sessionId(), Duration.ofSeconds(60)); // served again, wherever it went
            }
            // a moved session is served by a new server once it has reconnected
            eventually("every moved session on a new server, the others on member 0", () -> {
                int onNew = 0;
                for (ZkClient zk : all) {
                    int m = serving(zk.sessionId());
                    if (m == 1 || m == 2) {
                        onNew++;
                    } else if (m != 0) {
                        return false;
                    }
                }
                return onNew == moved;
            });
        } finally {
            all.forEach(ZkClient::close);
        }
    }

    @Test
    void aFollowingClientLeavesARemovedMemberAndFindsTheOthersFromOneAddress() throws Exception {
        // remove a follower, not the leader (that would be an election as well) and not member 0
        // (the admin's); the client to test is given that member's address alone
        int leader = ensemble.leader();
        int victim = leader == 2 ? 1 : 2;
        int other = 3 - victim; // the remaining member that is not member 0
        long victimId = victim + 1;
        String victimLine = null;
        try (ZkClient admin = admin();
                ZkClient follower = ZkClient.builder(ensemble.connectString(victim))
                        .followEnsembleConfig(true)
                        .build()) {
            EnsembleConfig before = EnsembleConfig.parse(admin.getConfig().data());
            assertThat(before.members()).hasSize(3);
            assertThat(before.connectString().split(",")).hasSize(3);
            victimLine = before.members().stream()
                    .filter(m -> m.id() == victimId)
                    .map(m -> "server." + victimId + "=" + m.host() + ":" + quorumPorts(admin, victimId) + ":"
                            + m.role() + ";" + m.clientAddress())
                    .findFirst()
                    .orElseThrow();
            long session = follower.sessionId();
            // the follower reads the configuration at once and may move (and drop its connection)
            // while this create is in flight: create until the node is there
            Reconfigs.createEphemeral(follower, "/follower-" + session, Duration.ofSeconds(60));
            eventually("served", () -> serving(session) >= 0);

            Watched<NodeData> watched = follower.getConfigAndWatch();
            NodeData shrunk = Reconfigs.reconfigured(
                    admin, List.of(), List.of(Long.toString(victimId)), 2, Duration.ofSeconds(90));
            assertThat(EnsembleConfig.parse(shrunk.data()).members()).hasSize(2);
            assertThat(watched.watch().await(Duration.ofSeconds(60)))
                    .as("the configuration watch fires")
                    .hasValueSatisfying(e -> assertThat(e.path()).isEqualTo("/zookeeper/config"));

            // the follower was given only the removed member's address: it can be served
            // elsewhere only by a member it learned of from the configuration
            eventually("served by a remaining member", () -> {
                int m = serving(session);
                return m == 0 || m == other;
            });
            assertThat(follower.sessionId()).isEqualTo(session);
            assertThat(follower.exists("/follower-" + session)).isPresent();

            NodeData grown = Reconfigs.reconfigured(admin, List.of(victimLine), List.of(), 3, Duration.ofSeconds(90));
            assertThat(EnsembleConfig.parse(grown.data()).members()).hasSize(3);
            assertThat(follower.awaitState(Duration.ofSeconds(60), SessionState.CONNECTED))
                    .isEqualTo(SessionState.CONNECTED);
            assertThat(follower.exists("/follower-" + session)).isPresent();
        } finally {
            // whatever failed above, the other tests need all three members back
            try (ZkClient admin = admin()) {
                if (victimLine != null
                        && EnsembleConfig.parse(admin.getConfig().data())
                                        .members()
                                        .size()
                                < 3) {
                    Reconfigs.reconfigured(admin, List.of(victimLine), List.of(), 3, Duration.ofSeconds(90));
                }
            }
            ensemble.awaitQuorum();
        }
    }

    @Test
    void aReconfigurationFromAStaleVersionOrWithoutRightsIsRefused() {
        try (ZkClient admin = admin();
                ZkClient nobody = ZkClient.builder(ensemble.connectString()).build()) {
            EnsembleConfig config = EnsembleConfig.parse(admin.getConfig().data());
            assertThatThrownBy(() -> admin.reconfig(List.of(), List.of("3"), config.version() - 1))
                    .isInstanceOf(ZkException.BadVersion.class);
            assertThatThrownBy(() -> nobody.reconfig(List.of(), List.of("3"), -1))
                    .isInstanceOf(ZkException.NoAuth.class);
            assertThat(EnsembleConfig.parse(admin.getConfig().data()).members()).hasSize(3);
        }
    }

    /** A member's {@code quorumPort:electionPort}, from the configuration's server line. */
    private static String quorumPorts(ZkClient zk, long id) {
        String text = new String(zk.getConfig().data(), java.nio.charset.StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (line.startsWith("server." + id + "=")) {
                String[] parts =
                        line.substring(line.indexOf('=') + 1).split(";")[0].split(":");
                return parts[1] + ":" + parts[2];
            }
        }
        throw new AssertionError("no server." + id + " in " + text);
    }
}
