package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.testing.ZkEnsemble;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A real ensemble grows from 3 to 5 members and shrinks back while 40 sessions run on it: 20
 * clients are told the new servers by hand ({@code updateServerList}), 20 follow the ensemble's
 * configuration ({@code followEnsembleConfig}) having been given one address only. No session may
 * end and no ephemeral node may go; some sessions must move to the new members, and every session
 * on a member that leaves must move to one that stays.
 */
@Timeout(400)
class EnsembleGrowthIT {
    private static final String SUPER_PASSWORD = "growth-test-secret";
    private static final int EACH = 20;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void sessionsFollowAnEnsembleThatGrowsFromThreeToFiveAndShrinksBack() throws Exception {
        List<ZkClient> balanced = new ArrayList<>();
        List<ZkClient> following = new ArrayList<>();
        Map<Long, List<SessionState>> states = new ConcurrentHashMap<>();
        try (ZkEnsemble ensemble = ZkEnsemble.builder()
                .reconfigEnabled()
                .jvmOptions("-Dzookeeper.DigestAuthenticationProvider.superDigest="
                        + Acls.digestId("super", SUPER_PASSWORD))
                .start()) {
            phase("three members started");
            String three = ensemble.connectString();
            try (ZkClient admin = ZkClient.builder(ensemble.connectString(0))
                    .auth("digest", Acls.digestCredentials("super", SUPER_PASSWORD))
                    .build()) {
                for (int i = 0; i < EACH; i++) {
                    balanced.add(ZkClient.builder(three).build());
                    following.add(ZkClient.builder(ensemble.connectString(0))
                            .followEnsembleConfig(true)
                            .build());
                }
                List<ZkClient> all = new ArrayList<>(balanced);
                all.addAll(following);
                for (ZkClient zk : all) {
                    long id = zk.sessionId();
                    states.put(id, Collections.synchronizedList(new ArrayList<>()));
                    zk.addStateListener(s -> states.get(id).add(s));
                    Reconfigs.createEphemeral(zk, "/member-" + Long.toHexString(zk.sessionId()), WAIT);
                }
                assertThat(EnsembleConfig.parse(admin.getConfig().data()).members())
                        .hasSize(3);

                // grow: two servers join as non-voting followers, then one reconfig makes them members
                int fourth = ensemble.addServer();
                int fifth = ensemble.addServer();
                assertThat(ensemble.size()).isEqualTo(5);
                phase("two servers started, joining them");
                NodeData grown = Reconfigs.reconfigured(
                        admin, List.of(ensemble.serverLine(fourth), ensemble.serverLine(fifth)), List.of(), 5, WAIT);
                EnsembleConfig five = EnsembleConfig.parse(grown.data());
                assertThat(five.members()).hasSize(5);
                assertThat(five.members().stream().map(EnsembleConfig.Member::role))
                        .containsOnly("participant");
                assertThat(EnsembleConfig.parse(balanced.get(0).getConfig().data())
                                .version())
                        .isEqualTo(five.version());
                ensemble.awaitQuorum();

                phase("five members");
                int movedByHand = 0;
                for (ZkClient zk : balanced) {
                    if (zk.updateServerList(ensemble.connectString())) {
                        movedByHand++;
                    }
                }
                // each moves with probability 1 - 3/5: none of 20 has odds of 4e-5
                assertThat(movedByHand).as("sessions the rebalancing moves").isPositive();
                int byHand = movedByHand;
                Map<Long, Integer> afterGrowth = eventually(
                        ensemble,
                        all,
                        "the moved sessions served by the new members, and some following sessions too",
                        serving -> onMembers(serving, balanced, fourth, fifth) == byHand
                                && onMembers(serving, following, fourth, fifth) > 0);
                report("after growth", afterGrowth, balanced, following);
                checkAlive(admin, all, states);

                // a new member dies: its sessions go elsewhere within their timeout
                phase("killing a new member");
                ensemble.kill(fifth);
                eventually(
                        ensemble,
                        all,
                        "every session served by a running member",
                        serving -> serving.values().stream().allMatch(m -> m >= 0 && m != fifth));
                checkAlive(admin, all, states);

                // shrink back to the first three: the one who left while running, and the dead one
                phase("removing two members");
                NodeData shrunk = Reconfigs.reconfigured(
                        admin, List.of(), List.of(Long.toString(fourth + 1), Long.toString(fifth + 1)), 3, WAIT);
                assertThat(EnsembleConfig.parse(shrunk.data()).members()).hasSize(3);
                for (ZkClient zk : balanced) {
                    zk.updateServerList(three);
                }
                Map<Long, Integer> afterShrink = eventually(
                        ensemble,
                        all,
                        "every session served by one of the first three",
                        serving -> serving.values().stream().allMatch(m -> m >= 0 && m < 3));
                report("after shrinking", afterShrink, balanced, following);
                phase("three members; killing the one that left while running");
                ensemble.kill(fourth); // it left; nothing may depend on it
                checkAlive(admin, all, states);
                assertThat(EnsembleConfig.parse(following.get(0).getConfig().data())
                                .members())
                        .hasSize(3);
            } finally {
                balanced.forEach(ZkClient::close);
                following.forEach(ZkClient::close);
            }
        }
    }

    /** How many of {@code clients} are served by member {@code a} or {@code b}. */
    private static int onMembers(Map<Long, Integer> serving, List<ZkClient> clients, int a, int b) {
        int n = 0;
        for (ZkClient zk : clients) {
            int m = serving.getOrDefault(zk.sessionId(), -1);
            if (m == a || m == b) {
                n++;
            }
        }
        return n;
    }

    private static final long T0 = System.nanoTime();

    /** A line in the test's output with the time since the class was loaded. */
    private static void phase(String what) {
        System.out.printf("EnsembleGrowthIT %.1f s: %s%n", (System.nanoTime() - T0) / 1e9, what);
    }

    private static void report(
            String when, Map<Long, Integer> serving, List<ZkClient> balanced, List<ZkClient> following) {
        System.out.println("EnsembleGrowthIT " + when + ": by hand " + spread(serving, balanced) + ", following "
                + spread(serving, following));
    }

    private static Map<Integer, Integer> spread(Map<Long, Integer> serving, List<ZkClient> clients) {
        Map<Integer, Integer> count = new TreeMap<>();
        for (ZkClient zk : clients) {
            count.merge(serving.getOrDefault(zk.sessionId(), -1), 1, Integer::sum);
        }
        return count;
    }

    /**
     * Every client connected with its first session (never expired), and its ephemeral node
     * still owned by that session.
     */
    private static void checkAlive(ZkClient admin, List<ZkClient> all, Map<Long, List<SessionState>> states)
            throws InterruptedException {
        for (ZkClient zk : all) {
            long id = zk.sessionId();
            assertThat(zk.awaitState(WAIT, SessionState.CONNECTED))
                    .as("session 0x%x", id)
                    .isEqualTo(SessionState.CONNECTED);
            assertThat(states.get(id)).as("states of 0x%x", id).doesNotContain(SessionState.EXPIRED);
            String path = "/member-" + Long.toHexString(id);
            assertThat(retrying(admin, () -> admin.exists(path)))
                    .as(path)
                    .hasValueSatisfying(
                            stat -> assertThat(stat.ephemeralOwner()).isEqualTo(id));
            assertThat(retrying(zk, () -> zk.exists(path)))
                    .as(path + " as its owner sees it")
                    .isPresent();
        }
    }

    private interface Read<T> {
        T get();
    }

    /** A read, again after a lost connection (a client may be moving), within {@link #WAIT}. */
    private static <T> T retrying(ZkClient zk, Read<T> read) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return read.get();
            } catch (ZkException.ConnectionLoss e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                zk.awaitState(Duration.ofSeconds(5), SessionState.CONNECTED);
            }
        }
    }

    /** Polls which member serves each session (from each running member's {@code cons}) until {@code done}. */
    private static Map<Long, Integer> eventually(
            ZkEnsemble ensemble, List<ZkClient> clients, String what, Predicate<Map<Long, Integer>> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Map<Long, Integer> serving = Map.of();
        while (System.nanoTime() < deadline) {
            serving = serving(ensemble, clients);
            if (done.test(serving)) {
                return serving;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not within " + WAIT + ": " + what + "; serving member by session: " + serving);
    }

    private static Map<Long, Integer> serving(ZkEnsemble ensemble, List<ZkClient> clients) {
        Map<Integer, String> cons = new HashMap<>();
        for (int i = 0; i < ensemble.size(); i++) {
            if (ensemble.isRunning(i)) {
                try {
                    cons.put(
                            i,
                            FourLetterWords.ask(
                                    new InetSocketAddress("127.0.0.1", ensemble.clientPort(i)),
                                    "cons",
                                    Duration.ofSeconds(5)));
                } catch (Exception e) {
                    cons.put(i, "");
                }
            }
        }
        Map<Long, Integer> serving = new HashMap<>();
        for (ZkClient zk : clients) {
            String id = "sid=0x" + Long.toHexString(zk.sessionId());
            int member = -1;
            for (Map.Entry<Integer, String> e : cons.entrySet()) {
                if (e.getValue().contains(id + ",") || e.getValue().contains(id + ")")) {
                    member = e.getKey();
                }
            }
            serving.put(zk.sessionId(), member);
        }
        return serving;
    }
}
