package io.loomzk.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.ZkClient;
import io.loomzk.testing.Sessions;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkServer;
import io.loomzk.testing.ZkTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link LeaderTask} on a real server: the task runs while leading and is interrupted when leadership goes. */
@ZkTest
@Timeout(120)
class LeaderTaskIT {
    private TestFleet fleet;
    private ZkServer server;
    private final ConcurrentLinkedQueue<String> log = new ConcurrentLinkedQueue<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger overlapsInOneProcess = new AtomicInteger();

    @BeforeAll
    static void warmUp(@ZkConnectString String connectString) throws Exception {
        TestFleet.warmUpCatalogue(connectString);
    }

    @BeforeEach
    void setUp(ZkServer server, @ZkConnectString String connectString) {
        this.server = server;
        fleet = new TestFleet(connectString);
    }

    @AfterEach
    void tearDown() {
        fleet.close();
    }

    /** A task that works until interrupted, logging its start and how it ended. */
    private LeaderTask.Task untilInterrupted(String who, AtomicInteger mine) {
        return leadership -> {
            if (mine.incrementAndGet() > 1) {
                overlapsInOneProcess.incrementAndGet();
            }
            running.incrementAndGet();
            log.add(who + " start");
            try {
                while (true) {
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                log.add(who + " interrupted");
                throw e;
            } finally {
                running.decrementAndGet();
                mine.decrementAndGet();
            }
        };
    }

    @Test
    void theLeadersTaskIsInterruptedWhenItsSessionExpiresAndTheNextLeaderStartsItsOwn() throws Exception {
        ZkClient a = fleet.loom();
        ZkClient b = fleet.loom();
        AtomicInteger aRunning = new AtomicInteger();
        AtomicInteger bRunning = new AtomicInteger();
        try (LeaderTask ta = LeaderTask.start(LeaderElection.of(a, "/leader", "a"), untilInterrupted("a", aRunning))) {
            TestFleet.eventually(ta::isLeading);
            try (LeaderTask tb =
                    LeaderTask.start(LeaderElection.of(b, "/leader", "b"), untilInterrupted("b", bRunning))) {
                TestFleet.eventually(() ->
                        LeaderElection.of(b, "/leader", "x").participants().size() == 2);
                assertThat(tb.isLeading()).isFalse();

                Sessions.expire(server.connectString(), a.sessionId(), a.sessionPassword());
                TestFleet.eventually(tb::isLeading);
                TestFleet.eventually(() -> log.contains("a interrupted"));
                assertThat(ta.isLeading()).isFalse();
                assertThat(List.copyOf(log)).containsSubsequence("a start", "b start");

                // a stands again in its next session, behind b; closing b hands over to a
                a.startNewSession();
                TestFleet.eventually(() ->
                        LeaderElection.of(b, "/leader", "x").participants().size() == 2);
                tb.close();
                assertThat(log).contains("b interrupted");
                TestFleet.eventually(ta::isLeading);
                assertThat(ta.terms()).isEqualTo(2);
                assertThat(tb.terms()).isEqualTo(1);
            }
        }
        TestFleet.eventually(() -> running.get() == 0);
        assertThat(overlapsInOneProcess).hasValue(0);
        assertThat(LeaderElection.of(fleet.loom(), "/leader", "x").participants())
                .isEmpty();
    }

    @Test
    void aTaskThatReturnsRelinquishesAndTheParticipantsTakeTurns() throws Exception {
        List<String> order = new ArrayList<>();
        java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        List<LeaderTask> tasks = new ArrayList<>();
        for (String who : List.of("p", "q", "r")) {
            ZkClient c = fleet.loom();
            tasks.add(LeaderTask.start(LeaderElection.of(c, "/turns", who), leadership -> {
                lock.lock();
                try {
                    order.add(who);
                } finally {
                    lock.unlock();
                }
                Thread.sleep(10);
            }));
        }
        TestFleet.eventually(() -> tasks.stream().allMatch(t -> t.terms() >= 3));
        tasks.forEach(LeaderTask::close);
        assertThat(order).contains("p", "q", "r");
        assertThat(LeaderElection.of(fleet.loom(), "/turns", "x").participants())
                .isEmpty();
    }
}
