package io.loomzk.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.Op;
import io.loomzk.client.OpResult;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkEnsemble;
import io.loomzk.testing.ZkTest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The safety checker ({@link SafetyChecker}) on a 3-server ensemble: 8 clients take a lock (or
 * lead an election) over and over while servers are killed with SIGKILL and restarted or frozen
 * with SIGSTOP, connections are cut, connections go silent past the session timeout, and sessions
 * are expired from outside (with and without a cut first). Overlaps with a holder whose session
 * was expired from outside are reported apart; every other overlap fails the test.
 */
@ZkTest(failOnPinning = false) // child-JVM servers and fault threads: pinning is ManyThreadsIT's job
@Timeout(240)
class SafetyIT {
    private static final int CLIENTS = 8;
    private static final Duration FAULTS = Duration.ofSeconds(45);
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

    private static String chroot(String connectString) {
        return connectString.substring(connectString.indexOf('/'));
    }

    @Test
    void lockHoldersNeverOverlapAndTokensFollowGrantsUnderFaults(
            ZkEnsemble ensemble, @ZkConnectString(ZkConnectString.Target.ENSEMBLE) String connectString)
            throws Exception {
        SafetyChecker checker = new SafetyChecker(ensemble, chroot(connectString), CLIENTS, SESSION_TIMEOUT);
        SafetyChecker.Report report = checker.run(
                client -> {
                    ZkMutex mutex = ZkMutex.of(client, "/lock");
                    return timeout -> mutex.tryAcquire(timeout).map(LockHeld::new);
                },
                "/lock",
                FAULTS);
        System.out.println("lock safety: " + report);
        assertSafe(report);
    }

    @Test
    void leadersNeverOverlapAndTermsFollowElectionsUnderFaults(
            ZkEnsemble ensemble, @ZkConnectString(ZkConnectString.Target.ENSEMBLE) String connectString)
            throws Exception {
        SafetyChecker checker = new SafetyChecker(ensemble, chroot(connectString), CLIENTS, SESSION_TIMEOUT);
        int[] ids = {0};
        SafetyChecker.Report report = checker.run(
                client -> {
                    LeaderElection election = LeaderElection.of(client, "/election", "participant-" + ids[0]++);
                    return timeout -> election.awaitLeadership(timeout).map(LeadershipHeld::new);
                },
                "/election",
                FAULTS);
        System.out.println("leadership safety: " + report);
        assertSafe(report);
    }

    private static void assertSafe(SafetyChecker.Report report) {
        assertThat(report.overlaps()).as("overlapping valid intervals").isEmpty();
        assertThat(report.tokenRegressions()).as("tokens out of grant order").isEmpty();
        assertThat(report.writeRegressions())
                .as("guarded writes out of token order")
                .isEmpty();
        assertThat(report.leftoverNodes()).as("contender nodes left behind").isEmpty();
        // and the run was a real one: progress for everyone, every fault injected
        assertThat(report.intervals()).isGreaterThan(40);
        assertThat(Arrays.stream(report.grantsPerClient()).min().orElseThrow())
                .as("grants of the least lucky client")
                .isPositive();
        assertThat(report.faults().values()).allSatisfy(n -> assertThat(n).isPositive());
        assertThat(report.guardedWrites()).isGreaterThan(report.intervals());
    }

    private record LockHeld(LockLease lease) implements SafetyChecker.Held {
        @Override
        public boolean isValid() {
            return lease.isValid();
        }

        @Override
        public long token() {
            return lease.fencingToken();
        }

        @Override
        public long session() {
            return lease.sessionId();
        }

        @Override
        public Optional<LeaseLoss> loss() {
            return lease.loss();
        }

        @Override
        public List<OpResult> guardedMulti(List<Op> ops) {
            return lease.guardedMulti(ops);
        }

        @Override
        public void close() {
            lease.close();
        }
    }

    private record LeadershipHeld(Leadership leadership) implements SafetyChecker.Held {
        @Override
        public boolean isValid() {
            return leadership.isValid();
        }

        @Override
        public long token() {
            return leadership.fencingToken();
        }

        @Override
        public long session() {
            return leadership.sessionId();
        }

        @Override
        public Optional<LeaseLoss> loss() {
            return leadership.loss();
        }

        @Override
        public List<OpResult> guardedMulti(List<Op> ops) {
            return leadership.guardedMulti(ops);
        }

        @Override
        public void close() {
            leadership.close();
        }
    }
}
