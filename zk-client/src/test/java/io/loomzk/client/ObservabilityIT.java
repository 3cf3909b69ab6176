package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.protocol.OpCode;
import io.loomzk.testing.ZkServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's flight-recorder events and its metrics listener, against a real server: a
 * recording is dumped and parsed, and the listener's reports are checked against the same work.
 */
@Timeout(120)
class ObservabilityIT {
    private static ZkServer server;

    @BeforeAll
    static void start() {
        server = ZkServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Records what the listener hears. */
    static final class Heard implements ClientMetricsListener {
        final AtomicInteger started = new AtomicInteger();
        final Queue<String> calls = new ConcurrentLinkedQueue<>();
        final Queue<String> attempts = new ConcurrentLinkedQueue<>();
        final Queue<SessionState> states = new ConcurrentLinkedQueue<>();
        final Queue<Integer> rearmed = new ConcurrentLinkedQueue<>();

        @Override
        public void callStarted(OpCode op) {
            started.incrementAndGet();
        }

        @Override
        public void callCompleted(OpCode op, String outcome, long nanos) {
            assertThat(nanos).isPositive();
            calls.add(op + " " + outcome);
        }

        @Override
        public void connectionAttempt(InetSocketAddress server, String outcome, long nanos) {
            attempts.add(server.getPort() + " " + outcome);
        }

        @Override
        public void stateChanged(SessionState state) {
            states.add(state);
        }

        @Override
        public void watchesRearmed(int watches, int requests, long nanos) {
            rearmed.add(watches);
        }
    }

    @Test
    void theFlightRecorderAndTheListenerSeeCallsAttemptsStatesAndReArms() throws Exception {
        String base = "/o-" + UUID.randomUUID();
        Heard heard = new Heard();
        Path dump = Files.createTempFile("loomzk", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("io.loomzk.Call").withThreshold(Duration.ZERO);
            recording.enable("io.loomzk.ConnectionAttempt");
            recording.enable("io.loomzk.SessionState");
            recording.enable("io.loomzk.WatchRearm");
            recording.start();
            try (ZkClient zk = ZkClient.builder(server.connectString())
                    .metricsListener(heard)
                    .build()) {
                zk.create(base, new byte[100]);
                zk.getData(base);
                assertThatThrownBy(() -> zk.getData(base + "/missing")).isInstanceOf(ZkException.NoNode.class);
                zk.getDataAndWatch(base);
                assertThat(zk.watchCount()).isEqualTo(1);
                assertThat(zk.dropConnection()).isTrue();
                assertThat(zk.awaitState(Duration.ofSeconds(20), SessionState.SUSPENDED))
                        .isIn(SessionState.SUSPENDED, SessionState.CONNECTED);
                assertThat(zk.awaitState(Duration.ofSeconds(20), SessionState.CONNECTED))
                        .isEqualTo(SessionState.CONNECTED);
                zk.exists(base); // after the re-arm
            }
            recording.stop();
            recording.dump(dump);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(dump);
        Files.deleteIfExists(dump);

        List<RecordedEvent> calls = named(events, "io.loomzk.Call");
        assertThat(calls).anySatisfy(e -> {
            assertThat(e.getString("operation")).startsWith("CREATE");
            assertThat(e.getString("path")).isEqualTo(base);
            assertThat(e.getInt("bytesOut")).isGreaterThan(100);
            assertThat(e.getString("outcome")).isEqualTo("OK");
            assertThat(e.getDuration().isNegative()).isFalse();
        });
        assertThat(calls).anySatisfy(e -> {
            assertThat(e.getString("operation")).isEqualTo("GET_DATA");
            assertThat(e.getString("path")).isEqualTo(base + "/missing");
            assertThat(e.getString("outcome")).isEqualTo("NO_NODE");
            assertThat(e.getBoolean("waitedForConnection")).isFalse();
        });
        assertThat(named(events, "io.loomzk.ConnectionAttempt"))
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(e -> {
                    assertThat(e.getString("outcome")).isEqualTo("OK");
                    assertThat(e.getString("server")).contains(":" + server.port());
                });
        assertThat(named(events, "io.loomzk.SessionState"))
                .extracting(e -> e.getString("previous") + "->" + e.getString("state"))
                .containsSubsequence(
                        "CONNECTING->CONNECTED", "CONNECTED->SUSPENDED", "SUSPENDED->CONNECTED", "CONNECTED->CLOSED");
        assertThat(named(events, "io.loomzk.WatchRearm")).singleElement().satisfies(e -> {
            assertThat(e.getInt("watches")).isEqualTo(1);
            assertThat(e.getInt("requests")).isEqualTo(1);
        });

        // the listener heard the same facts
        assertThat(heard.calls).contains("CREATE2 OK", "GET_DATA OK", "GET_DATA NO_NODE", "EXISTS OK");
        assertThat(heard.started.get()).isEqualTo(heard.calls.size());
        assertThat(heard.attempts).hasSizeGreaterThanOrEqualTo(2).allMatch(a -> a.endsWith(" OK"));
        assertThat(heard.states)
                .containsSubsequence(
                        SessionState.CONNECTED, SessionState.SUSPENDED, SessionState.CONNECTED, SessionState.CLOSED);
        assertThat(heard.rearmed).containsExactly(1);
    }

    /**
     * A recording started while a client runs sees its calls: the event classes are only loaded
     * once the flight recorder is up (a short-lived program without a recording never pays for
     * registering them), so here, when this is the JVM's first recording, the first call after
     * the recording started loads them.
     */
    @Test
    void aRecordingStartedWhileTheClientRunsSeesItsCalls() throws Exception {
        String base = "/late-" + UUID.randomUUID();
        Path dump = Files.createTempFile("loomzk", ".jfr");
        try (ZkClient zk = ZkClient.builder(server.connectString()).build()) {
            zk.create(base, new byte[1]);
            try (Recording recording = new Recording()) {
                recording.enable("io.loomzk.Call").withThreshold(Duration.ZERO);
                recording.start();
                zk.getData(base);
                recording.stop();
                recording.dump(dump);
            }
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(dump);
        Files.deleteIfExists(dump);
        assertThat(named(events, "io.loomzk.Call")).anySatisfy(e -> {
            assertThat(e.getString("operation")).isEqualTo("GET_DATA");
            assertThat(e.getString("path")).isEqualTo(base);
            assertThat(e.getString("outcome")).isEqualTo("OK");
        });
    }

    @Test
    void aListenerThatThrowsDoesNotBreakTheClient() {
        AtomicInteger calls = new AtomicInteger();
        ClientMetricsListener broken = new ClientMetricsListener() {
            @Override
            public void callCompleted(OpCode op, String outcome, long nanos) {
                calls.incrementAndGet();
                throw new IllegalStateException("broken listener");
            }

            @Override
            public void stateChanged(SessionState state) {
                throw new IllegalStateException("broken listener");
            }
        };
        try (ZkClient zk =
                ZkClient.builder(server.connectString()).metricsListener(broken).build()) {
            for (int i = 0; i < 10; i++) {
                assertThat(zk.exists("/")).isPresent();
            }
            assertThat(zk.state()).isEqualTo(SessionState.CONNECTED);
        }
        assertThat(calls.get()).isEqualTo(10);
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream()
                .filter(e -> e.getEventType().getName().equals(name))
                .sorted(java.util.Comparator.comparing(RecordedEvent::getStartTime))
                .toList();
    }
}
