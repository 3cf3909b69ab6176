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

    private static ZkClient admin() {
        return ZkClient.builder(ensemble.connectString())
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
            zk.create("/moving-" + zk.sessionId(), null, CreateOptions.ephemeral());
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
            int moved = 0;
            for (ZkClient zk : all) {
                if (zk.updateServerList(ensemble.connectString())) {
                    moved++;
                }
            }
            // each moves with probability 1 - 1/3: 16 expected; below 6 has odds of about 1e-5
            assertThat(moved).isBetween(6, clients);
            for (ZkClient zk : all) {
                assertThat(zk.awaitState(Duration.ofSeconds(60), SessionState.CONNECTED))
                        .isEqualTo(SessionState.CONNECTED);
                assertThat(zk.exists("/")).isPresent();
            }
            int onNew = 0;
            for (ZkClient zk : all) {
                int m = servingMember(zk.sessionId());
                if (m == 1 || m == 2) {
                    onNew++;
                }
            }
            assertThat(onNew).as("sessions now on the new servers").isEqualTo(moved);
        } finally {
            all.forEach(ZkClient::close);
        }
    }

    @Test
    void aFollowingClientLeavesARemovedMemberAndFindsTheOthersFromOneAddress() throws Exception {
        try (ZkClient admin = admin();
                ZkClient follower = ZkClient.builder(ensemble.connectString(2))
                        .followEnsembleConfig(true)
                        .build()) {
            EnsembleConfig before = EnsembleConfig.parse(admin.getConfig().data());
            assertThat(before.members()).hasSize(3);
            assertThat(before.connectString().split(",")).hasSize(3);
            String member3 = before.members().stream()
                    .filter(m -> m.id() == 3)
                    .map(m -> "server.3=" + m.host() + ":" + quorumPorts(admin, 3) + ":" + m.role() + ";"
                            + m.clientAddress())
                    .findFirst()
                    .orElseThrow();
            long session = follower.sessionId();
            follower.create("/follower-" + session, null, CreateOptions.ephemeral());
            // it read the configuration at once and may already have moved to a member it learned of
            eventually("served", () -> serving(session) >= 0);

            Watched<NodeData> watched = follower.getConfigAndWatch();
            NodeData shrunk = admin.reconfig(List.of(), List.of("3"), -1);
            assertThat(EnsembleConfig.parse(shrunk.data()).members()).hasSize(2);
            assertThat(watched.watch().await(Duration.ofSeconds(60)))
                    .as("the configuration watch fires")
                    .hasValueSatisfying(e -> assertThat(e.path()).isEqualTo("/zookeeper/config"));

            // the follower was given only member 2's address: it can be served elsewhere only by
            // a member it learned of from the configuration
            eventually("served by member 0 or 1", () -> {
                int m = serving(session);
                return m == 0 || m == 1;
            });
            assertThat(follower.sessionId()).isEqualTo(session);
            assertThat(follower.exists("/follower-" + session)).isPresent();

            NodeData grown = admin.reconfig(List.of(member3), List.of(), -1);
            assertThat(EnsembleConfig.parse(grown.data()).members()).hasSize(3);
            assertThat(follower.awaitState(Duration.ofSeconds(60), SessionState.CONNECTED))
                    .isEqualTo(SessionState.CONNECTED);
            assertThat(follower.exists("/follower-" + session)).isPresent();
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
