package io.loomzk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.testing.internal.FourLetterWords;
import java.nio.file.Files;
import java.time.Duration;
import java.util.stream.IntStream;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.Test;

class ZkEnsembleIT {

    @Test
    void keepsServingWritesAfterTheLeaderIsKilled() throws Exception {
        try (ZkEnsemble ensemble = ZkEnsemble.startWith(3)) {
            write(ensemble.connectString(), "/before", "1");
            int oldLeader = ensemble.leader();

            ensemble.kill(oldLeader);

            assertThat(ensemble.isRunning(oldLeader)).isFalse();
            int newLeader = ensemble.leader();
            assertThat(newLeader).isNotEqualTo(oldLeader);
            write(ensemble.connectString(newLeader), "/after", "2");
            for (int i : survivors(ensemble)) {
                assertThat(readSynced(ensemble.connectString(i), "/before")).isEqualTo("1");
            }

            ensemble.start(oldLeader);
            assertThat(mode(ensemble, oldLeader)).isEqualTo("follower");
            assertThat(readSynced(ensemble.connectString(oldLeader), "/after")).isEqualTo("2");
            assertThat(Files.readString(ensemble.logFile(oldLeader))).contains("FOLLOWING");
        }
    }

    @Test
    void keepsServingWritesWhileAFollowerAndThenTheLeaderArePaused() throws Exception {
        try (ZkEnsemble ensemble = ZkEnsemble.startWith(3)) {
            int leader = ensemble.leader();
            int follower = (leader + 1) % 3;

            ensemble.pause(follower);
            assertThat(ensemble.leader()).isEqualTo(leader);
            write(ensemble.connectString(leader), "/while-follower-paused", "1");
            ensemble.resume(follower);
            assertThat(readSynced(ensemble.connectString(follower), "/while-follower-paused"))
                    .isEqualTo("1");

            ensemble.pause(leader);
            int newLeader = ensemble.leader();
            assertThat(newLeader).isNotEqualTo(leader);
            write(ensemble.connectString(newLeader), "/while-leader-paused", "2");
            ensemble.resume(leader);
            assertThat(mode(ensemble, leader)).isEqualTo("follower");
            assertThat(readSynced(ensemble.connectString(leader), "/while-leader-paused"))
                    .isEqualTo("2");
        }
    }

    @Test
    void fiveServersServeWithTwoDownAndStopServingWithThree() throws Exception {
        try (ZkEnsemble ensemble = ZkEnsemble.builder()
                .size(5)
                .quorumTimeout(Duration.ofSeconds(60))
                .start()) {
            int leader = ensemble.leader();
            int[] followers = IntStream.range(0, 5).filter(i -> i != leader).toArray();

            ensemble.kill(followers[0]);
            ensemble.stop(followers[1]);
            assertThat(ensemble.leader()).isEqualTo(leader);
            write(ensemble.connectString(leader), "/three-of-five", "ok");

            ensemble.kill(followers[2]);
            assertThatThrownBy(ensemble::leader)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("only 2 of 5");
            // Without a quorum the two left stop serving once they notice (syncLimit: 2 s).
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (mode(ensemble, leader).equals("leader")
                    || mode(ensemble, followers[3]).equals("follower")) {
                assertThat(System.nanoTime() - deadline)
                        .as("servers without quorum still serve")
                        .isNegative();
                Thread.sleep(100);
            }
            assertThat(ZkServerIT.accepts(ensemble.clientPort(leader))).isTrue();
        }
    }

    @Test
    void anAddedServerFollowsWithoutAVoteUntilAReconfigurationNamesIt() throws Exception {
        try (ZkEnsemble plain = ZkEnsemble.startWith(3)) {
            assertThatThrownBy(plain::addServer)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("reconfigEnabled");
            assertThat(plain.size()).isEqualTo(3);
        }
        try (ZkEnsemble ensemble = ZkEnsemble.builder().reconfigEnabled().start()) {
            write(ensemble.connectString(), "/before-join", "1");
            int added = ensemble.addServer();
            assertThat(added).isEqualTo(3);
            assertThat(ensemble.size()).isEqualTo(4);
            assertThat(ensemble.isRunning(added)).isTrue();
            assertThat(mode(ensemble, added)).isEqualTo("follower");
            assertThat(readSynced(ensemble.connectString(added), "/before-join"))
                    .isEqualTo("1");
            assertThat(ensemble.serverLine(added))
                    .isEqualTo("server.4=127.0.0.1:" + quorumAndElection(ensemble.serverLine(added)) + ":participant;"
                            + ensemble.connectString(added));
            // not a member yet: the leader's configuration still names three servers
            String conf = FourLetterWords.ask(ensemble.clientPort(ensemble.leader()), "conf", Duration.ofSeconds(5));
            assertThat(conf.lines().filter(l -> l.startsWith("server."))).hasSize(3);
            assertThat(ensemble.connectString()).contains(ensemble.connectString(added));
        }
    }

    /** {@code <quorum>:<election>} from a {@code server.N=127.0.0.1:<quorum>:<election>:...} line. */
    private static String quorumAndElection(String line) {
        String[] parts = line.substring(line.indexOf('=') + 1).split(";")[0].split(":");
        return parts[1] + ":" + parts[2];
    }

    private static int[] survivors(ZkEnsemble ensemble) {
        return IntStream.range(0, ensemble.size()).filter(ensemble::isRunning).toArray();
    }

    private static String mode(ZkEnsemble ensemble, int i) {
        return FourLetterWords.mode(ensemble.clientPort(i), Duration.ofSeconds(2))
                .orElse("none");
    }

    private static void write(String connectString, String path, String data) throws Exception {
        try (ApacheClient c = ApacheClient.connect(connectString)) {
            ZkServerIT.create(c, path, data);
        }
    }

    private static String readSynced(String connectString, String path) throws Exception {
        try (ApacheClient c = ApacheClient.connect(connectString)) {
            var done = new java.util.concurrent.CompletableFuture<Integer>();
            c.zk.sync(path, (rc, p, ctx) -> done.complete(rc), null);
            assertThat(KeeperException.Code.get(done.get(10, java.util.concurrent.TimeUnit.SECONDS)))
                    .isEqualTo(KeeperException.Code.OK);
            return ZkServerIT.read(c, path);
        }
    }
}
