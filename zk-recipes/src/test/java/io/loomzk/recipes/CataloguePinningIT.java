package io.loomzk.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.ZkClient;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every waiting path of the catalogue on many virtual threads, LoomZK only, with {@code @ZkTest}
 * failing the test on any pinned virtual thread with an {@code io.loomzk} frame (the other
 * catalogue tests run Curator too and do not judge pinning).
 */
@ZkTest
@Timeout(120)
class CataloguePinningIT {
    private TestFleet fleet;

    @BeforeAll
    static void warmUp(@ZkConnectString String connectString) throws Exception {
        TestFleet.warmUpCatalogue(connectString);
    }

    @BeforeEach
    void setUp(@ZkConnectString String connectString) {
        fleet = new TestFleet(connectString);
    }

    @AfterEach
    void tearDown() {
        fleet.close();
    }

    @Test
    void queueBarriersCounterGroupAndNodeWaitWithoutPinning() throws Exception {
        ZkClient zk = fleet.loom();
        // queue: 16 consumers wait in claim (two watches each) while 200 items arrive
        ZkQueue queue = ZkQueue.of(zk, "/q");
        List<CompletableFuture<Integer>> consumers = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            ZkQueue q = ZkQueue.of(fleet.loom(), "/q");
            consumers.add(TestFleet.async("consumer-" + c, () -> {
                int n = 0;
                Optional<ZkQueue.Delivery> d;
                while ((d = q.claim(Duration.ofSeconds(2))).isPresent()) {
                    if (d.get().ack()) {
                        n++;
                    }
                }
                return n;
            }));
        }
        for (int i = 0; i < 200; i++) {
            queue.offer(Integer.toString(i).getBytes(UTF_8));
        }
        int acked = 0;
        for (CompletableFuture<Integer> c : consumers) {
            acked += c.get(60, TimeUnit.SECONDS);
        }
        assertThat(acked).isEqualTo(200);

        // double barrier: 12 members enter and leave twice
        for (int round = 0; round < 2; round++) {
            List<CompletableFuture<Boolean>> members = new ArrayList<>();
            for (int m = 0; m < 12; m++) {
                DoubleBarrier b = DoubleBarrier.of(fleet.loom(), "/db", 12);
                members.add(TestFleet.async(
                        "member-" + m, () -> b.enter(Duration.ofSeconds(30)) && b.leave(Duration.ofSeconds(30))));
            }
            for (CompletableFuture<Boolean> m : members) {
                assertThat(m.get(60, TimeUnit.SECONDS)).isTrue();
            }
        }

        // barrier, counter and group watchers wake on one change each
        ZkBarrier gate = ZkBarrier.of(zk, "/gate");
        gate.set();
        SharedCounter counter = SharedCounter.atomicLong(zk, "/count");
        SharedCounter.Versioned seen = counter.get();
        Group group = Group.of(zk, "/group");
        List<CompletableFuture<Boolean>> waiters = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ZkClient c = fleet.loom();
            waiters.add(
                    TestFleet.async("gate-" + i, () -> ZkBarrier.of(c, "/gate").await(Duration.ofSeconds(30))));
            waiters.add(TestFleet.async(
                    "counter-" + i,
                    () -> SharedCounter.atomicLong(c, "/count")
                            .awaitChange(seen, Duration.ofSeconds(30))
                            .isPresent()));
            Group.Changes changes = Group.of(c, "/group").changes();
            waiters.add(TestFleet.async(
                    "group-" + i, () -> changes.next(Duration.ofSeconds(30)).isPresent()));
        }
        Thread.sleep(300);
        gate.remove();
        counter.increment();
        try (Group.Member member = group.join("m", null)) {
            assertThat(member.awaitJoined(Duration.ofSeconds(10))).isTrue();
            for (CompletableFuture<Boolean> w : waiters) {
                assertThat(w.get(60, TimeUnit.SECONDS)).isTrue();
            }
        }
    }
}
