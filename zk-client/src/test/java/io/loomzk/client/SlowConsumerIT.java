package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.protocol.AddWatchMode;
import io.loomzk.testing.LogCapture;
import io.loomzk.testing.ZkServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Consumers that fall behind are reported once, with their path, until they drain: a persistent
 * watch nobody reads while a writer changes its node, and a session state listener that blocks.
 * Against a real server; the only times asserted are generous upper bounds for a report to come.
 */
@Timeout(180)
class SlowConsumerIT {
    private static final Duration PERIOD = Duration.ofSeconds(1);
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final String DATA_MARK = "node-data-that-must-not-be-logged";
    private static ZkServer server;

    @BeforeAll
    static void start() {
        server = ZkServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Report(String kind, String path, int backlog, long bytes, long stalledNanos) {}

    static final class Reports implements ClientMetricsListener {
        final List<Report> heard = new CopyOnWriteArrayList<>();

        @Override
        public void slowConsumer(String kind, String path, int backlog, long backlogBytes, long stalledNanos) {
            heard.add(new Report(kind, path, backlog, backlogBytes, stalledNanos));
        }

        List<Report> about(String path) {
            return heard.stream().filter(r -> r.path().equals(path)).toList();
        }
    }

    @Test
    void aWatchNobodyReadsIsReportedOnceUntilItDrainsThenAgain() throws Exception {
        String base = "/slow-" + UUID.randomUUID();
        String kept = base + "-kept-up";
        Reports reports = new Reports();
        LogCapture log = LogCapture.start("io.loomzk", null);
        List<String> lines = log.lines();
        Path dump = Files.createTempFile("loomzk", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("io.loomzk.SlowConsumer");
            recording.start();
            try (ZkClient zk = ZkClient.builder(server.connectString())
                    .metricsListener(reports)
                    .slowConsumerWarning(PERIOD)
                    .build()) {
                zk.create(base, null);
                zk.create(kept, null);
                PersistentWatch slow = zk.addWatch(base, AddWatchMode.PERSISTENT);
                PersistentWatch keptUp = zk.addWatch(kept, AddWatchMode.PERSISTENT);
                // a consumer that keeps up with its watch: never reported
                AtomicBoolean reading = new AtomicBoolean(true);
                Thread reader = Thread.ofVirtual().name("kept-up-reader").start(() -> {
                    try {
                        while (reading.get()) {
                            keptUp.poll(Duration.ofMillis(50));
                        }
                    } catch (InterruptedException | RuntimeException e) {
                        // the watch or the test ended
                    }
                });

                // the writer changes both nodes; nobody reads the slow watch
                write(zk, base, kept, 20);
                eventually("a report of " + base, () -> !reports.about(base).isEmpty());
                write(zk, base, kept, 20); // more, while reported: no second report
                Thread.sleep(4 * PERIOD.toMillis());
                assertThat(reports.about(base)).hasSize(1);
                Report first = reports.about(base).get(0);
                assertThat(first.kind()).isEqualTo("PERSISTENT_WATCH");
                assertThat(first.backlog()).isPositive();
                assertThat(first.bytes()).isPositive();
                assertThat(first.stalledNanos()).isPositive();

                // it drains: everything is taken
                int taken = drain(slow);
                assertThat(taken).isEqualTo(40);
                Thread.sleep(2 * PERIOD.toMillis()); // the watchdog sees it empty (not needed: a take marks it)
                assertThat(reports.about(base)).hasSize(1);

                // and falls behind again: a new report
                write(zk, base, kept, 10);
                eventually(
                        "a second report of " + base, () -> reports.about(base).size() == 2);
                assertThat(reports.about(base).get(1).backlog()).isPositive();

                reading.set(false);
                reader.join(TimeUnit.SECONDS.toMillis(10));
                assertThat(reports.about(kept)).as("the consumer that kept up").isEmpty();
            } finally {
                log.close();
            }
            recording.stop();
            recording.dump(dump);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(dump);
        Files.deleteIfExists(dump);
        List<RecordedEvent> slowEvents = events.stream()
                .filter(e -> e.getEventType().getName().equals("io.loomzk.SlowConsumer"))
                .filter(e -> base.equals(e.getString("path")))
                .toList();
        assertThat(slowEvents).hasSize(2).allSatisfy(e -> {
            assertThat(e.getString("kind")).isEqualTo("PERSISTENT_WATCH");
            assertThat(e.getInt("backlog")).isPositive();
        });
        List<String> warnings =
                lines.stream().filter(l -> l.contains("slow consumer")).toList();
        assertThat(warnings)
                .hasSize(2)
                .allSatisfy(
                        l -> assertThat(l).contains("WARNING").contains(base).doesNotContain(DATA_MARK));
        assertThat(lines).noneMatch(l -> l.contains(DATA_MARK));
    }

    @Test
    void aStateListenerThatBlocksIsReportedOnceWithItsClassThenAgainAfterCatchingUp() throws Exception {
        Reports reports = new Reports();
        BlockingListener listener = new BlockingListener();
        try (ZkClient zk = ZkClient.builder(server.connectString())
                .metricsListener(reports)
                .slowConsumerWarning(PERIOD)
                .build()) {
            zk.addStateListener(listener);
            zk.dropConnection(); // SUSPENDED, then CONNECTED: the listener blocks on each
            String name = BlockingListener.class.getName();
            eventually("a report of the listener", () -> !reports.about(name).isEmpty());
            Thread.sleep(4 * PERIOD.toMillis());
            assertThat(reports.about(name)).hasSize(1);
            assertThat(reports.about(name).get(0).kind()).isEqualTo("STATE_LISTENER");
            listener.release(); // it catches up
            eventually("the listener caught up", () -> listener.caughtUp(0));
            // added after build(), it may hear the first CONNECTED too if that was not yet delivered
            assertThat(listener.heard).contains(SessionState.SUSPENDED);
            assertThat(reports.about(name)).hasSize(1);

            Thread.sleep(2 * PERIOD.toMillis()); // the watchdog finds it idle
            listener.blockAgain();
            int before = listener.heard.size();
            zk.dropConnection(); // slow again: a new report
            eventually(
                    "a second report of the listener", () -> reports.about(name).size() == 2);
            listener.release();
            eventually("the listener caught up again", () -> listener.caughtUp(before));
            assertThat(reports.about(name)).hasSize(2);
        }
    }

    /** Blocks on each state change until released (60 s at most), then passes until blocked again. */
    static final class BlockingListener implements Consumer<SessionState> {
        final List<SessionState> heard = new CopyOnWriteArrayList<>();
        private final AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(1));

        void release() {
            gate.get().countDown();
        }

        /** Whether it heard more than {@code before} changes, the last of them CONNECTED. */
        boolean caughtUp(int before) {
            int n = heard.size();
            return n > before && heard.get(n - 1) == SessionState.CONNECTED;
        }

        void blockAgain() {
            gate.set(new CountDownLatch(1));
        }

        @Override
        public void accept(SessionState state) {
            heard.add(state);
            try {
                gate.get().await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void write(ZkClient zk, String slow, String kept, int times) {
        for (int i = 0; i < times; i++) {
            byte[] data = (DATA_MARK + i).getBytes(StandardCharsets.UTF_8);
            zk.setData(slow, data);
            zk.setData(kept, data);
        }
    }

    /** Takes every buffered event (the last write's event has arrived: the writer's reply came after it). */
    private static int drain(PersistentWatch watch) throws InterruptedException {
        int n = 0;
        for (Optional<WatchedEvent> e = watch.poll(Duration.ofSeconds(1));
                e.isPresent();
                e = watch.poll(Duration.ofSeconds(1))) {
            n++;
        }
        return n;
    }

    private static void eventually(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
