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
