package io.loomzk.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.testing.PinningDetector;
import io.loomzk.testing.ZkProxy;
import io.loomzk.testing.ZkServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A caller writes its own frame when its connection has nothing in flight, and hands it to the
 * connection's writer otherwise. The two paths share one socket: these tests switch between them
 * all the time and check that every reply reaches the caller that asked, that a cut connection
 * fails calls with a typed error and nothing else, and that an interrupted caller does not cost
 * the connection.
 */
@Timeout(180)
class CallerWritesIT {
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
    void aLoneCallerAndBurstsOfCallersShareTheConnectionAndEachGetsItsOwnReplies() throws Exception {
        String base = "/caller-writes-" + UUID.randomUUID();
        AtomicInteger suspensions = new AtomicInteger();
        try (ZkClient zk = ZkClient.builder(server.connectString())
                        .requestTimeout(Duration.ofSeconds(60))
                        .stateListener(s -> {
                            if (s == SessionState.SUSPENDED) {
                                suspensions.incrementAndGet();
                            }
                        })
                        .build();
                PinningDetector pins = PinningDetector.start()) {
            zk.create(base, null);
            Queue<String> wrong = new ConcurrentLinkedQueue<>();
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            for (int round = 0; round < 20; round++) {
                // alone: nothing in flight before each call, so each caller writes its own frame
                String lone = base + "/lone-" + round;
                zk.create(lone, ("lone-" + round).getBytes(UTF_8));
                for (int i = 0; i < 50; i++) {
                    String value = "lone-" + round + "-" + i;
                    zk.setData(lone, value.getBytes(UTF_8));
                    String read = new String(zk.getData(lone).data(), UTF_8);
                    if (!read.equals(value)) {
                        wrong.add(lone + ": " + read + " instead of " + value);
                    }
                }
                // a burst: most calls find others in flight and go through the writer, some don't
                List<Thread> burst = new ArrayList<>();
                for (int t = 0; t < 32; t++) {
                    String node = base + "/burst-" + round + "-" + t;
                    burst.add(Thread.ofVirtual().start(() -> {
                        try {
                            zk.create(node, node.getBytes(UTF_8));
                            for (int i = 0; i < 10; i++) {
                                String value = node + "#" + i;
                                zk.setData(node, value.getBytes(UTF_8));
                                String read = new String(zk.getData(node).data(), UTF_8);
                                if (!read.equals(value)) {
                                    wrong.add(node + ": " + read + " instead of " + value);
                                }
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }));
                }
                for (Thread t : burst) {
                    t.join(Duration.ofSeconds(60));
                }
            }
            assertThat(failures).isEmpty();
            assertThat(wrong).isEmpty();
            assertThat(zk.getAllChildrenNumber(base)).isEqualTo(20 + 20 * 32);
            assertThat(suspensions).as("the connection never dropped").hasValue(0);
            pins.stopAndVerify();
            zk.deleteRecursive(base);
        }
    }

    @Test
    void aCallerInterruptedBeforeItsCallGetsInterruptedAndTheConnectionStays() throws Exception {
        String node = "/caller-writes-interrupt-" + UUID.randomUUID();
        AtomicInteger suspensions = new AtomicInteger();
        try (ZkClient zk = ZkClient.builder(server.connectString())
                .stateListener(s -> {
                    if (s == SessionState.SUSPENDED) {
                        suspensions.incrementAndGet();
                    }
                })
                .build()) {
            zk.create(node, "v".getBytes(UTF_8));
            AtomicInteger interrupted = new AtomicInteger();
            Queue<Throwable> other = new ConcurrentLinkedQueue<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 200; i++) {
                    Thread.currentThread().interrupt();
                    try {
                        // a reply that beat the caller to its wait is returned, the interrupt kept
                        String read = new String(zk.getData(node).data(), UTF_8);
                        if (!read.equals("v") || !Thread.currentThread().isInterrupted()) {
                            other.add(new AssertionError("read " + read + ", interrupt kept: "
                                    + Thread.currentThread().isInterrupted()));
                        }
                    } catch (ZkException.Interrupted e) {
                        interrupted.incrementAndGet();
                    } catch (Throwable e) {
                        other.add(e);
                    }
                    Thread.interrupted();
                }
            });
            caller.join(Duration.ofSeconds(60));
            assertThat(other).isEmpty();
            assertThat(interrupted).as("most calls see the interrupt first").hasPositiveValue();
            assertThat(new String(zk.getData(node).data(), UTF_8)).isEqualTo("v");
            assertThat(suspensions)
                    .as("an interrupted caller never closes the connection")
                    .hasValue(0);
            zk.delete(node, -1);
        }
    }

    @Test
    void cutsWhileALoneCallerLoopsEndItsCallsWithTypedErrorsAndItCarriesOn() throws Exception {
        String node = "/caller-writes-cut-" + UUID.randomUUID();
        try (ZkProxy proxy = ZkProxy.start(server.connectString());
                ZkClient zk = ZkClient.builder(proxy.connectString())
                        .sessionTimeout(Duration.ofSeconds(30))
                        .requestTimeout(Duration.ofSeconds(30))
                        .build()) {
            zk.create(node, "0".getBytes(UTF_8));
            AtomicBoolean stop = new AtomicBoolean();
            Queue<Throwable> untyped = new ConcurrentLinkedQueue<>();
            Queue<String> wrong = new ConcurrentLinkedQueue<>();
            AtomicInteger lost = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            Thread caller = Thread.ofVirtual().start(() -> {
                int i = 0;
                while (!stop.get()) {
                    String value = Integer.toString(++i);
                    try {
                        zk.setData(node, value.getBytes(UTF_8));
                        String read = new String(zk.getData(node).data(), UTF_8);
                        if (!read.equals(value)) {
                            wrong.add(read + " instead of " + value);
                        }
                        done.incrementAndGet();
                    } catch (ZkException.ConnectionLoss e) {
                        lost.incrementAndGet();
                    } catch (Throwable e) {
                        untyped.add(e);
                        return;
                    }
                }
            });
            for (int cut = 0; cut < 5; cut++) {
                int before = done.get();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (done.get() < before + 50 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                proxy.cutAll();
            }
            int before = done.get();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (done.get() < before + 50 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            stop.set(true);
            caller.join(Duration.ofSeconds(60));
            assertThat(untyped).isEmpty();
            assertThat(wrong).isEmpty();
            assertThat(done.get()).as("the caller carried on after every cut").isGreaterThanOrEqualTo(before + 50);
            zk.delete(node, -1);
        }
    }
}
