package io.loomzk.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.Op;
import io.loomzk.client.OpResult;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkEnsemble;
import io.loomzk.testing.ZkTest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreV2;
import org.apache.curator.framework.recipes.locks.Lease;
import org.apache.curator.framework.recipes.shared.SharedCount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The safety checker ({@link SafetyChecker}) on the read/write lock and the semaphore, LoomZK and
 * Curator clients sharing each (two threads share each LoomZK client's recipe instance), on a 3-server ensemble under every fault (SIGKILL and SIGSTOP of
 * servers, cuts, blackholes past the session timeout, outside expiry, with and without a cut
 * first); and the two lease policies side by side under cut-then-expire.
 */
@ZkTest(failOnPinning = false) // child-JVM servers, Curator and fault threads: pinning is ManyThreadsIT's job
@Timeout(300)
class GrantSafetyIT {
    private static final int LOOM = 4;
    private static final int CURATOR = 2;
    private static final int PERMITS = 2;
    private static final Duration FAULTS = Duration.ofSeconds(30);
    private static final Duration POLICY_FAULTS = Duration.ofSeconds(20);
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

    private static String chroot(String connectString) {
        return connectString.substring(connectString.indexOf('/'));
    }

    @Test
    void neverAWriterWithAnotherHolderUnderFaultsWithCuratorClients(
            ZkEnsemble ensemble, @ZkConnectString(ZkConnectString.Target.ENSEMBLE) String connectString)
            throws Exception {
        SafetyChecker checker = new SafetyChecker(
                        ensemble,
                        chroot(connectString),
                        LOOM,
                        CURATOR,
                        SESSION_TIMEOUT,
                        SafetyChecker.Invariant.EXCLUSIVE,
                        SafetyChecker.ALL_FAULTS)
                .threadsPerLoomClient(2);
        SafetyChecker.Report report = checker.run(
                client -> {
                    ZkReadWriteLock lock = ZkReadWriteLock.of(client, "/rw");
                    return timeout -> {
                        ZkReadWriteLock.Side side = writerNow() ? lock.writeLock() : lock.readLock();
                        return side.tryAcquire(timeout).map(l -> new LeaseHeld(l, side.isWrite(), true));
                    };
                },
                curator -> {
                    SafetyChecker.CuratorConn conn = checker.connOf(curator);
                    InterProcessReadWriteLock lock = new InterProcessReadWriteLock(curator, "/rw");
                    return timeout -> {
                        boolean write = writerNow();
                        InterProcessMutex side = write ? lock.writeLock() : lock.readLock();
                        long epoch = conn.epochNow();
                        if (!side.acquire(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                            return Optional.empty();
                        }
                        return Optional.of(new CuratorHeld(conn, epoch, sessionOf(curator), write, side::release));
                    };
                },
                List.of("/rw"),
                FAULTS);
        System.out.println("read/write lock safety: " + report);
        assertSafe(report);
        assertThat(report.guardedWrites()).isPositive();
    }

    @Test
    void neverMoreThanNHoldersUnderFaultsWithCuratorClients(
            ZkEnsemble ensemble, @ZkConnectString(ZkConnectString.Target.ENSEMBLE) String connectString)
            throws Exception {
        SafetyChecker checker = new SafetyChecker(
                        ensemble,
                        chroot(connectString),
                        LOOM,
                        CURATOR,
                        SESSION_TIMEOUT,
                        SafetyChecker.Invariant.atMost(PERMITS),
                        SafetyChecker.ALL_FAULTS)
                .threadsPerLoomClient(2);
        SafetyChecker.Report report = checker.run(
                client -> {
                    ZkSemaphore semaphore = ZkSemaphore.of(client, "/semaphore", PERMITS);
                    return timeout -> semaphore.tryAcquire(timeout).map(l -> new LeaseHeld(l, false, false));
                },
                curator -> {
                    SafetyChecker.CuratorConn conn = checker.connOf(curator);
                    SharedCount count = new SharedCount(curator, "/semaphore", PERMITS);
                    try {
                        count.start();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    InterProcessSemaphoreV2 semaphore = new InterProcessSemaphoreV2(curator, "/semaphore", count);
                    return timeout -> {
                        long epoch = conn.epochNow();
                        Lease lease = semaphore.acquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
                        if (lease == null) {
                            return Optional.empty();
                        }
                        return Optional.of(new CuratorHeld(conn, epoch, sessionOf(curator), false, lease::close));
                    };
                },
                List.of("/semaphore/leases", "/semaphore/locks"),
                FAULTS);
        System.out.println("semaphore safety (N = " + PERMITS + "): " + report);
        assertSafe(report);
        assertThat(report.mostHoldersAtOnce()).as("holders at once").isGreaterThan(1);
    }

    @Test
    void leasePoliciesUnderCutThenOutsideExpiry(
            ZkEnsemble ensemble, @ZkConnectString(ZkConnectString.Target.ENSEMBLE) String connectString)
            throws Exception {
        for (LeasePolicy policy : LeasePolicy.values()) {
            SafetyChecker checker = new SafetyChecker(
                    ensemble,
                    chroot(connectString),
                    LOOM,
                    0,
                    SESSION_TIMEOUT,
                    SafetyChecker.Invariant.EXCLUSIVE,
                    List.of(SafetyChecker.Fault.CUT_THEN_EXPIRE, SafetyChecker.Fault.CUT));
            String path = "/policy-" + policy;
            SafetyChecker.Report report = checker.run(
                    client -> {
                        ZkMutex mutex = ZkMutex.builder(client, path)
                                .leasePolicy(policy)
                                .build();
                        return timeout -> mutex.tryAcquire(timeout).map(l -> new LeaseHeld(l, true, true));
                    },
                    c -> {
                        throw new IllegalStateException();
                    },
                    List.of(path),
                    POLICY_FAULTS);
            System.out.println("lease policy " + policy + " under cut-then-expire: " + report);
            assertThat(report.overlaps())
                    .as("overlaps not explained by an outside expiry")
                    .isEmpty();
            assertThat(report.writeRegressions())
                    .as("guarded writes out of token order")
                    .isEmpty();
            assertThat(report.tokenRegressions()).isEmpty();
            assertThat(report.leftoverNodes()).isEmpty();
            assertThat(report.intervals()).isGreaterThan(20);
        }
    }

    private static boolean writerNow() {
        return ThreadLocalRandom.current().nextInt(10) < 3;
    }

    private static long sessionOf(CuratorFramework curator) throws Exception {
        return curator.getZookeeperClient().getZooKeeper().getSessionId();
    }

    private static void assertSafe(SafetyChecker.Report report) {
        assertThat(report.overlaps())
                .as("holders together against the invariant")
                .isEmpty();
        assertThat(report.tokenRegressions()).as("tokens out of grant order").isEmpty();
        assertThat(report.writeRegressions())
                .as("guarded writes out of token order")
                .isEmpty();
        assertThat(report.leftoverNodes()).as("nodes left behind").isEmpty();
        // and the run was a real one: progress for everyone, every fault injected
        assertThat(report.intervals()).isGreaterThan(40);
        assertThat(report.curatorIntervals()).isPositive();
        assertThat(java.util.Arrays.stream(report.grantsPerClient()).min().orElseThrow())
                .as("grants of the least lucky client")
                .isPositive();
        assertThat(report.faults().values()).allSatisfy(n -> assertThat(n).isPositive());
    }

    /** A LoomZK lease of any kind. */
    private record LeaseHeld(io.loomzk.recipes.Lease lease, boolean exclusive, boolean writes)
            implements SafetyChecker.Held {
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

    private interface Release {
        void run() throws Exception;
    }

    /** A Curator grant: valid until Curator reports SUSPENDED or LOST, as Curator advises. */
    private record CuratorHeld(
            SafetyChecker.CuratorConn conn, long epoch, long session, boolean exclusive, Release release)
            implements SafetyChecker.Held {
        @Override
        public boolean isValid() {
            return conn.validSince(epoch);
        }

        @Override
        public long token() {
            return -1;
        }

        @Override
        public Optional<LeaseLoss> loss() {
            return Optional.empty();
        }

        @Override
        public Optional<String> why() {
            return isValid() ? Optional.empty() : Optional.of("CURATOR_SUSPENDED_OR_LOST");
        }

        @Override
        public boolean writes() {
            return false;
        }

        @Override
        public List<OpResult> guardedMulti(List<Op> ops) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
            try {
                release.run();
            } catch (Exception e) {
                // its node went with its session, or the connection is down: Curator's problem
            }
        }
    }
}
