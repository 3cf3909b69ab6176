package io.loomzk.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.ZkClient;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkTest;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Thousands of virtual threads on one lock through one client. */
@ZkTest
class ManyThreadsIT {
    private static final int THREADS = 10_000;

    /** Written only while holding the lock, and not atomically: only the lock keeps it exact. */
    private long counter;

    /**
     * Loads every class of the code path first. A virtual thread that loads a class is pinned while
     * it does (a native frame), once per class and JVM: that is the JVM warming up, not this code.
     */
    @BeforeAll
    static void warmUp(@ZkConnectString String connectString) throws Exception {
        try (ZkClient client = ZkClient.builder(connectString).build()) {
            ZkMutex mutex = ZkMutex.of(client, "/locks/warm-up");
            try (ExecutorService pool = Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name("warm-up-", 0).factory())) {
                for (int i = 0; i < 50; i++) {
                    pool.execute(() -> {
                        try (LockLease lease = mutex.acquire()) {
                            lease.isValid();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
                }
            }
        }
    }

    @Test
    @Timeout(180)
    void tenThousandVirtualThreadsOnOneMutexKeepACounterExactWithoutPinning(@ZkConnectString String connectString)
            throws Exception {
        // @ZkTest fails the test on any pinned virtual thread with an io.loomzk frame
        try (ZkClient client = ZkClient.builder(connectString)
                .sessionTimeout(Duration.ofSeconds(10))
                .build()) {
            ZkMutex mutex = ZkMutex.of(client, "/locks/many");
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            AtomicLong lastToken = new AtomicLong();
            AtomicInteger tokenRegressions = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            long start = System.nanoTime();
            try (ExecutorService pool = Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name("contender-", 0).factory())) {
                for (int i = 0; i < THREADS; i++) {
                    pool.execute(() -> {
                        try (LockLease lease = mutex.acquire()) {
                            if (inside.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            if (lease.fencingToken() <= lastToken.getAndSet(lease.fencingToken())) {
                                tokenRegressions.incrementAndGet();
                            }
                            long read = counter;
                            Thread.yield(); // invite another thread in, should the lock let it
                            counter = read + 1;
                            inside.decrementAndGet();
                        } catch (Exception e) {
                            failures.incrementAndGet();
                            e.printStackTrace();
                        }
                    });
                }
                pool.shutdown();
                assertThat(pool.awaitTermination(170, TimeUnit.SECONDS)).isTrue();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            System.out.printf("%d acquisitions in %s (%.0f/s)%n", THREADS, took, THREADS * 1e9 / took.toNanos());

            assertThat(failures).hasValue(0);
            assertThat(overlaps).hasValue(0);
            assertThat(tokenRegressions).hasValue(0);
            assertThat(counter).isEqualTo(THREADS);
            assertThat(mutex.contenders()).isEmpty();
        }
    }
}
