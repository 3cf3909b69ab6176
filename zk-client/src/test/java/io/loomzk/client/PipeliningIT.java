package io.loomzk.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.testing.PinningDetector;
import io.loomzk.testing.ZkServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Thousands of virtual threads share one client and one connection: every reply must reach the
 * thread that asked, and no virtual thread may pin its carrier while doing so.
 */
@Timeout(180)
class PipeliningIT {
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
    void tenThousandVirtualThreadsShareOneConnectionAndEachGetsItsOwnReplies() throws Exception {
        int threads = 10_000;
        int rounds = 3;
        String base = "/pipe-" + UUID.randomUUID();
        try (ZkClient zk = ZkClient.builder(server.connectString())
                        .requestTimeout(Duration.ofSeconds(60))
                        .build();
                PinningDetector pins = PinningDetector.start()) {
            zk.create(base, null);
            Queue<String> wrong = new ConcurrentLinkedQueue<>();
            Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> workers = new ArrayList<>(threads);
            for (int i = 0; i < threads; i++) {
                String node = base + "/n" + i;
                String me = "thread-" + i;
                workers.add(Thread.ofVirtual().name(me).start(() -> {
                    try {
                        start.await();
                        zk.create(node, me.getBytes(UTF_8));
                        for (int r = 0; r < rounds; r++) {
                            String value = me + "/round-" + r;
                            int version =
                                    zk.setData(node, value.getBytes(UTF_8), r).version();
                            if (version != r + 1) {
                                wrong.add(me + " got version " + version + " for round " + r);
                            }
                            NodeData read = zk.getData(node);
                            String got = new String(read.data(), UTF_8);
                            if (!got.equals(value) || read.stat().version() != r + 1) {
                                wrong.add(
                                        me + " read " + got + " v" + read.stat().version() + ", expected " + value);
                            }
                        }
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            start.countDown();
            for (Thread t : workers) {
                t.join();
            }
            assertThat(failures).isEmpty();
            assertThat(wrong).isEmpty();
            assertThat(zk.getAllChildrenNumber(base)).isEqualTo(threads);
            pins.stopAndVerify();
            zk.deleteRecursive(base);
        }
    }

    @Test
    void readsOfManyNodesInParallelReturnTheRightData() throws Exception {
        String base = "/par-" + UUID.randomUUID();
        try (ZkClient zk = ZkClient.builder(server.connectString()).build();
                PinningDetector pins = PinningDetector.start()) {
            zk.create(base, null);
            for (int i = 0; i < 100; i++) {
                zk.create(base + "/" + i, Integer.toString(i).getBytes(UTF_8));
            }
            Queue<String> wrong = new ConcurrentLinkedQueue<>();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 2_000; t++) {
                int k = t % 100;
                readers.add(Thread.ofVirtual().start(() -> {
                    String got = new String(zk.getData(base + "/" + k).data(), UTF_8);
                    if (!got.equals(Integer.toString(k))) {
                        wrong.add(k + " -> " + got);
                    }
                }));
            }
            for (Thread t : readers) {
                t.join();
            }
            assertThat(wrong).isEmpty();
            pins.stopAndVerify();
            zk.deleteRecursive(base);
        }
    }
}
