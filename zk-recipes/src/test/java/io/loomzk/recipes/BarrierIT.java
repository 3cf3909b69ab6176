package io.loomzk.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.client.ZkClient;
import io.loomzk.testing.Sessions;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkProxy;
import io.loomzk.testing.ZkServer;
import io.loomzk.testing.ZkTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.recipes.barriers.DistributedBarrier;
import org.apache.curator.framework.recipes.barriers.DistributedDoubleBarrier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ZkBarrier} and {@link DoubleBarrier} on a real server, with Curator members and faults. */
@ZkTest(failOnPinning = false) // Curator's code runs here too; ManyThreadsIT judges pinning
@Timeout(150)
class BarrierIT {
    private TestFleet fleet;
    private ZkServer server;
    private String chroot;

    @BeforeEach
    void setUp(ZkServer server, @ZkConnectString String connectString) {
        this.server = server;
        this.chroot = connectString.substring(connectString.indexOf('/'));
        fleet = new TestFleet(connectString);
    }

    @AfterEach
    void tearDown() {
        fleet.close();
    }

    @Test
    void aBarrierIsSharedWithCuratorsDistributedBarrier() throws Exception {
        String path = "/gates/nightly";
        ZkBarrier ours = ZkBarrier.of(fleet.loom(), path);
        DistributedBarrier theirs = new DistributedBarrier(fleet.curator(), path);

        ours.set();
        assertThat(theirs.waitOnBarrier(200, TimeUnit.MILLISECONDS)).isFalse();
        CompletableFuture<Boolean> curatorWaiter =
                TestFleet.async("curator-waiter", () -> theirs.waitOnBarrier(30, TimeUnit.SECONDS));
        CompletableFuture<Boolean> loomWaiter = TestFleet.async(
                "loom-waiter", () -> ZkBarrier.of(fleet.loom(), path).await(Duration.ofSeconds(30)));
        Thread.sleep(300);
        assertThat(curatorWaiter).isNotDone();
        assertThat(loomWaiter).isNotDone();
        ours.remove();
        assertThat(curatorWaiter.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(loomWaiter.get(30, TimeUnit.SECONDS)).isTrue();

        theirs.setBarrier();
        assertThat(ours.isSet()).isTrue();
        assertThat(ours.await(Duration.ofMillis(200))).isFalse();
        theirs.removeBarrier();
        assertThat(ours.await(Duration.ofSeconds(10))).isTrue();
        ours.remove(); // idempotent
    }

    @Test
    void loomZkAndCuratorMembersShareADoubleBarrierAndNoneEntersEarly() throws Exception {
        String path = "/rounds";
        int members = 4;
        for (int round = 0; round < 3; round++) {
            AtomicInteger arrived = new AtomicInteger();
            AtomicInteger early = new AtomicInteger();
            List<CompletableFuture<Boolean>> all = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                DoubleBarrier ours = DoubleBarrier.of(fleet.loom(), path, members);
                all.add(TestFleet.async("loom-" + i, () -> {
                    Thread.sleep(50L * arrived.get());
                    arrived.incrementAndGet();
                    boolean in = ours.enter(Duration.ofSeconds(30));
                    if (arrived.get() < members) {
                        early.incrementAndGet();
                    }
                    return in && ours.leave(Duration.ofSeconds(30));
                }));
            }
            for (int i = 0; i < 2; i++) {
                DistributedDoubleBarrier theirs = new DistributedDoubleBarrier(fleet.curator(), path, members);
                all.add(TestFleet.async("curator-" + i, () -> {
                    Thread.sleep(50L * arrived.get());
                    arrived.incrementAndGet();
                    boolean in = theirs.enter(30, TimeUnit.SECONDS);
                    if (arrived.get() < members) {
                        early.incrementAndGet();
                    }
                    return in && theirs.leave(30, TimeUnit.SECONDS);
                }));
            }
            for (CompletableFuture<Boolean> f : all) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(early).as("members released before all had arrived").hasValue(0);
            ZkClient zk = fleet.loom();
            if (zk.exists(path).isPresent()) {
                assertThat(zk.getChildren(path).names()).as("round " + round).isEmpty();
            }
        }
    }

    @Test
    void aStaleReadyNodeStrayEventsAndReconnectsNeverOpenADoubleBarrier(ZkProxy proxy) throws Exception {
        String path = "/stale";
        ZkClient zk = fleet.loom();
        zk.createWithParents(path + "/ready", null, io.loomzk.client.CreateOptions.persistent()); // a dead round's
        ZkProxy chrooted =
                ZkProxy.builder(server.connectString()).chroot(chroot).start();
        try {
            DoubleBarrier viaProxy =
                    DoubleBarrier.of(fleet.loom(chrooted.connectString(), Duration.ofSeconds(10)), path, 3);
            DoubleBarrier direct = DoubleBarrier.of(fleet.loom(), path, 3);
            CompletableFuture<Boolean> a = TestFleet.async("member-a", () -> viaProxy.enter(Duration.ofSeconds(4)));
            CompletableFuture<Boolean> b = TestFleet.async("member-b", () -> direct.enter(Duration.ofSeconds(4)));
            TestFleet.eventually(() -> zk.getChildren(path).names().size() == 3);
            for (int i = 0; i < 3; i++) {
                chrooted.cutAll(); // a reconnect wakes the waiter on the proxied connection
                zk.setData(path, new byte[] {(byte) i}); // an event on the barrier node itself
                Thread.sleep(300);
            }
            assertThat(a.get(30, TimeUnit.SECONDS))
                    .as("released with 2 of 3 members")
                    .isFalse();
            assertThat(b.get(30, TimeUnit.SECONDS))
                    .as("released with 2 of 3 members")
                    .isFalse();
            assertThat(zk.getChildren(path).names()).containsExactly("ready"); // timed-out members left
            assertThatThrownBy(() -> direct.leave(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);

            // with three members it opens, stale ready node or not
            List<CompletableFuture<Boolean>> three = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                DoubleBarrier m = DoubleBarrier.of(fleet.loom(), path, 3);
                three.add(TestFleet.async(
                        "member-" + i, () -> m.enter(Duration.ofSeconds(30)) && m.leave(Duration.ofSeconds(30))));
            }
            for (CompletableFuture<Boolean> f : three) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            chrooted.close();
        }
    }

    @Test
    void aMemberWhoseSessionEndsBlocksNeitherEnteringNorLeavingForever() throws Exception {
        String path = "/deaths";
        ZkClient doomed = fleet.loom();
        DoubleBarrier dying = DoubleBarrier.of(doomed, path, 3);
        DoubleBarrier second = DoubleBarrier.of(fleet.loom(), path, 3);
        CompletableFuture<Boolean> d = TestFleet.async("dying", () -> dying.enter(Duration.ofSeconds(60)));
        CompletableFuture<Boolean> s = TestFleet.async("second", () -> second.enter(Duration.ofSeconds(60)));
        ZkClient zk = fleet.loom();
        TestFleet.eventually(() ->
                zk.exists(path).isPresent() && zk.getChildren(path).names().size() == 2);
        Sessions.expire(server.connectString(), doomed.sessionId(), doomed.sessionPassword());
        // the dead member no longer counts: a third member does not open the barrier
        DoubleBarrier third = DoubleBarrier.of(fleet.loom(), path, 3);
        assertThat(third.enter(Duration.ofSeconds(2))).isFalse();
        assertThatThrownBy(() -> d.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(io.loomzk.client.ZkException.class);
        assertThat(s).isNotDone();

        // a member that dies after entering does not hold up the others' leave
        ZkClient doomed2 = fleet.loom();
        DoubleBarrier willDie = DoubleBarrier.of(doomed2, path, 3);
        DoubleBarrier fourth = DoubleBarrier.of(fleet.loom(), path, 3);
        CompletableFuture<Boolean> w = TestFleet.async("will-die", () -> willDie.enter(Duration.ofSeconds(30)));
        CompletableFuture<Boolean> f = TestFleet.async("fourth", () -> fourth.enter(Duration.ofSeconds(30)));
        assertThat(s.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(w.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
        Sessions.expire(server.connectString(), doomed2.sessionId(), doomed2.sessionPassword());
        CompletableFuture<Boolean> l1 = TestFleet.async("leave-1", () -> second.leave(Duration.ofSeconds(30)));
        CompletableFuture<Boolean> l2 = TestFleet.async("leave-2", () -> fourth.leave(Duration.ofSeconds(30)));
        assertThat(l1.get(40, TimeUnit.SECONDS)).isTrue();
        assertThat(l2.get(40, TimeUnit.SECONDS)).isTrue();
    }
}
