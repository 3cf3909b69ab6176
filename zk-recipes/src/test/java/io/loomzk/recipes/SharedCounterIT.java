package io.loomzk.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.client.ZkClient;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkTest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.atomic.AtomicValue;
import org.apache.curator.framework.recipes.atomic.DistributedAtomicLong;
import org.apache.curator.framework.recipes.shared.SharedCount;
import org.apache.curator.framework.recipes.shared.VersionedValue;
import org.apache.curator.retry.RetryNTimes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link SharedCounter} against a real server, alone and with Curator's counters on the same node. */
@ZkTest(failOnPinning = false) // Curator's code runs here too; ManyThreadsIT judges pinning
@Timeout(120)
class SharedCounterIT {
    private TestFleet fleet;

    @BeforeEach
    void setUp(@ZkConnectString String connectString) {
        fleet = new TestFleet(connectString);
    }

    @AfterEach
    void tearDown() {
        fleet.close();
    }

    @Test
    void incrementsFromLoomZkAndCuratorDistributedAtomicLongAllCount() throws Exception {
        String path = "/counters/hits";
        int perThread = 40;
        List<CompletableFuture<Integer>> workers = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            ZkClient client = fleet.loom();
            for (int t = 0; t < 3; t++) {
                SharedCounter counter = SharedCounter.atomicLong(client, path);
                workers.add(TestFleet.async("loom-" + c + "-" + t, () -> {
                    for (int i = 0; i < perThread; i++) {
                        counter.increment();
                    }
                    return perThread;
                }));
            }
        }
        for (int c = 0; c < 2; c++) {
            DistributedAtomicLong theirs = new DistributedAtomicLong(fleet.curator(), path, new RetryNTimes(10_000, 1));
            workers.add(TestFleet.async("curator-" + c, () -> {
                for (int i = 0; i < perThread; i++) {
                    AtomicValue<Long> v = theirs.increment();
                    assertThat(v.succeeded()).isTrue();
                }
                return perThread;
            }));
        }
        int total = 0;
        for (CompletableFuture<Integer> w : workers) {
            total += w.get(100, TimeUnit.SECONDS);
        }
        SharedCounter.Versioned end =
                SharedCounter.atomicLong(fleet.loom(), path).get();
        assertThat(end.value()).isEqualTo(total);
        assertThat(new DistributedAtomicLong(fleet.curator(), path, new RetryNTimes(3, 10))
                        .get()
                        .postValue())
                .isEqualTo(total);
        // the bytes are exactly Curator's: 8 bytes, big-endian
        byte[] raw = fleet.loom().getData(path).data();
        assertThat(raw).isEqualTo(ByteBuffer.allocate(8).putLong(total).array());
    }

    @Test
    void sharedCountValuesAndVersionsAgreeWithCuratorBothWays() throws Exception {
        String path = "/counters/shared";
        CuratorFramework curator = fleet.curator();
        try (SharedCount theirs = new SharedCount(curator, path, 7)) {
            theirs.start(); // creates the node with the seed
            SharedCounter ours = SharedCounter.sharedCount(fleet.loom(), path, 0);
            SharedCounter.Versioned seen = ours.get();
            assertThat(seen.value()).isEqualTo(7);
            assertThat(seen.version()).isZero();

            assertThat(ours.compareAndSet(seen, 8)).isTrue();
            assertThat(ours.compareAndSet(seen, 9)).as("a stale version loses").isFalse();
            assertThat(fleet.loom().getData(path).data()).isEqualTo(new byte[] {0, 0, 0, 8});
            try (SharedCount fresh = new SharedCount(fleet.curator(), path, 0)) {
                fresh.start();
                VersionedValue<Integer> v = fresh.getVersionedValue();
                assertThat(v.getValue()).isEqualTo(8);
                assertThat(v.getVersion()).isEqualTo(1);
                assertThat(fresh.trySetCount(v, -42)).isTrue();
            }
            SharedCounter.Versioned after = ours.get();
            assertThat(after.value()).isEqualTo(-42);
            assertThat(after.version()).isEqualTo(2);
            assertThat(ours.addAndGet(50)).isEqualTo(8);
        }
    }

    @Test
    void aMissingNodeReadsAsTheSeedAndTheFirstCompareAndSetCreatesIt() {
        ZkClient zk = fleet.loom();
        SharedCounter counter = SharedCounter.sharedCount(zk, "/a/b/count", 5);
        SharedCounter.Versioned absent = counter.get();
        assertThat(absent.exists()).isFalse();
        assertThat(absent.value()).isEqualTo(5);
        assertThat(counter.compareAndSet(absent, 6)).isTrue();
        assertThat(counter.compareAndSet(absent, 7)).as("created meanwhile").isFalse();
        assertThat(counter.get().value()).isEqualTo(6);
        assertThat(SharedCounter.atomicLong(zk, "/a/b/none").get().value()).isZero();
    }

    @Test
    void awaitChangeSeesAnotherClientsWriteAndADeletionAndTimesOutWithoutOne() throws Exception {
        SharedCounter watcher = SharedCounter.atomicLong(fleet.loom(), "/watched");
        SharedCounter writer = SharedCounter.atomicLong(fleet.loom(), "/watched");
        writer.set(1);
        SharedCounter.Versioned seen = watcher.get();
        assertThat(watcher.awaitChange(seen, Duration.ofMillis(200))).isEmpty();
        CompletableFuture<Optional<SharedCounter.Versioned>> change =
                TestFleet.async("await-change", () -> watcher.awaitChange(seen, Duration.ofSeconds(30)));
        Thread.sleep(100);
        writer.addAndGet(41);
        Optional<SharedCounter.Versioned> next = change.get(30, TimeUnit.SECONDS);
        assertThat(next).isPresent();
        assertThat(next.get().value()).isEqualTo(42);

        fleet.loom().delete("/watched");
        Optional<SharedCounter.Versioned> gone = watcher.awaitChange(next.get(), Duration.ofSeconds(30));
        assertThat(gone).isPresent();
        assertThat(gone.get().exists()).isFalse();
        assertThat(gone.get().value()).isZero();
    }

    @Test
    void foreignDataAndOverflowAreTypedErrorsAndWriteNothing() {
        ZkClient zk = fleet.loom();
        SharedCounter small = SharedCounter.sharedCount(zk, "/c", 0);
        small.set(Integer.MAX_VALUE);
        assertThatThrownBy(small::increment).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> small.set(1L << 40)).isInstanceOf(IllegalArgumentException.class);
        assertThat(small.get().value()).isEqualTo(Integer.MAX_VALUE);
        assertThatThrownBy(() -> SharedCounter.atomicLong(zk, "/c").get())
                .isInstanceOf(CounterFormatException.class)
                .hasMessageContaining("4 bytes");
        zk.create("/empty", null);
        assertThatThrownBy(() -> SharedCounter.sharedCount(zk, "/empty", 0).get())
                .isInstanceOf(CounterFormatException.class);
        assertThat(SharedCounter.atomicLong(zk, "/empty").get().value()).isZero();
    }
}
