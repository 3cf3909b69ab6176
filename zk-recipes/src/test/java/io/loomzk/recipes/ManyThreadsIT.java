package io.loomzk.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.ZkClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Thousands of virtual threads on one lock through one client. */
class ManyThreadsIT {
    private static final int THREADS = 10_000;

    /** Written only while holding the lock, and not atomically: only the lock keeps it exact. */
    private long counter;

    @Test
    @Timeout(180)
    void tenThousandVirtualThreadsOnOneMutexKeepACounterExactWithoutPinning() throws Exception {
        List<RecordedEvent> pinned = new ArrayList<>();
        try (EmbeddedZk server = EmbeddedZk.start();
                ZkClient client = ZkClient.builder(server.connectString())
                        .sessionTimeout(Duration.ofSeconds(10))
                        .build();
                RecordingStream jfr = new RecordingStream()) {
            jfr.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            jfr.onEvent("jdk.VirtualThreadPinned", e -> {
                synchronized (pinned) {
                    pinned.add(e);
                }
            });
            jfr.startAsync();

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
            jfr.stop();

            assertThat(failures).hasValue(0);
            assertThat(overlaps).hasValue(0);
            assertThat(tokenRegressions).hasValue(0);
            assertThat(counter).isEqualTo(THREADS);
            assertThat(mutex.contenders()).isEmpty();
            synchronized (pinned) {
                assertThat(pinned).isEmpty();
            }
        }
    }
}
