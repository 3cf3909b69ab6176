package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.testing.ZkServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Background jobs are the client's own: close() interrupts and joins them, and refuses new ones. */
@Timeout(120)
class BackgroundJobsIT {
    private static ZkServer server;

    @BeforeAll
    static void start() {
        server = ZkServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void closeEndsARunningJobBeforeItReturnsAndAJobAfterCloseDoesNotRun() throws Exception {
        ZkClient zk = ZkClient.builder(server.connectString()).build();
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Thread> thread = new AtomicReference<>();
        AtomicReference<String> how = new AtomicReference<>();
        assertThat(zk.runInBackground("waiter", () -> {
                    thread.set(Thread.currentThread());
                    started.countDown();
                    try {
                        Thread.sleep(Duration.ofMinutes(10));
                        how.set("slept");
                    } catch (InterruptedException e) {
                        how.set("interrupted, client " + zk.state());
                    }
                }))
                .isTrue();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(thread.get().getName()).isEqualTo("zk-job-waiter");
        assertThat(thread.get().isVirtual()).isTrue();

        zk.close();

        assertThat(thread.get().isAlive()).as("joined by close()").isFalse();
        assertThat(how.get()).isEqualTo("interrupted, client CLOSED");
        CountDownLatch ran = new CountDownLatch(1);
        assertThat(zk.runInBackground("late", ran::countDown)).isFalse();
        assertThat(ran.await(200, TimeUnit.MILLISECONDS))
                .as("a job after close does not run")
                .isFalse();
    }

    @Test
    void aJobThatCallsTheServerWhileTheClientClosesEndsWithClosed() throws Exception {
        ZkClient zk = ZkClient.builder(server.connectString()).build();
        zk.create("/jobs-" + zk.sessionId(), null);
        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<Object> end = new AtomicReference<>();
        zk.runInBackground("reader", () -> {
            running.countDown();
            try {
                while (true) {
                    zk.exists("/jobs-" + zk.sessionId()); // a job that only stops when its calls fail
                }
            } catch (ZkException e) {
                end.set(e.getClass().getSimpleName());
            }
        });
        assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();
        zk.close();
        assertThat(end.get()).isIn("Closed", "ConnectionLoss", "Interrupted");
    }

    @Test
    void aJobThatThrowsIsLoggedAndTheClientCarriesOn() throws Exception {
        try (ZkClient zk = ZkClient.builder(server.connectString()).build()) {
            CountDownLatch thrown = new CountDownLatch(1);
            assertThat(zk.runInBackground("thrower", () -> {
                        thrown.countDown();
                        throw new IllegalStateException("expected by the test");
                    }))
                    .isTrue();
            assertThat(thrown.await(30, TimeUnit.SECONDS)).isTrue();
            CountDownLatch second = new CountDownLatch(1);
            assertThat(zk.runInBackground("second", second::countDown)).isTrue();
            assertThat(second.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(zk.exists("/")).isPresent();
        }
    }
}
