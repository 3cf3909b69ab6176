package io.loomzk.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.client.SessionState;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.protocol.AddWatchMode;
import io.loomzk.testing.Sessions;
import io.loomzk.testing.ZkServer;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client's facts as Micrometer meters, against a real server. */
@Timeout(120)
class ZkClientMetricsIT {
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
    void callsStatesReconnectsWatchesAndExpiryBecomeMeters() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ZkClientMetrics metrics = new ZkClientMetrics(registry, Tags.of("client", "it"));
        String base = "/m-" + UUID.randomUUID();
        try (ZkClient zk = ZkClient.builder(server.connectString())
                .sessionTimeout(Duration.ofSeconds(10))
                .metricsListener(metrics)
                .build()) {
            metrics.bindTo(zk);
            zk.create(base, null);
            for (int i = 0; i < 5; i++) {
                zk.getData(base);
            }
            assertThatThrownBy(() -> zk.getData(base + "/none")).isInstanceOf(ZkException.NoNode.class);
            zk.getDataAndWatch(base);

            Timer reads = registry.get("zk.client.calls")
                    .tags("client", "it", "operation", "GET_DATA", "outcome", "OK")
                    .timer();
            assertThat(reads.count()).isEqualTo(6); // five reads and the one that set the watch
            assertThat(reads.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS))
                    .isPositive();
            assertThat(registry.get("zk.client.calls")
                            .tags("operation", "GET_DATA", "outcome", "NO_NODE")
                            .timer()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("zk.client.calls")
                            .tags("operation", "CREATE2", "outcome", "OK")
                            .timer()
                            .count())
                    .isEqualTo(1);
            assertThat(registry.get("zk.client.calls.in.flight").gauge().value())
                    .isZero();
            assertThat(registry.get("zk.client.watches").gauge().value()).isEqualTo(1);
            awaitTrue(() -> stateGauge(registry, SessionState.CONNECTED) == 1);
            assertThat(stateGauge(registry, SessionState.SUSPENDED)).isZero();
            assertThat(registry.get("zk.client.connection.attempts")
                            .tag("outcome", "OK")
                            .timer()
                            .count())
                    .isEqualTo(1);

            // a dropped connection: one reconnect, the watch re-armed
            assertThat(zk.dropConnection()).isTrue();
            awaitTrue(() -> registry.get("zk.client.reconnects").counter().count() == 1);
            assertThat(registry.get("zk.client.watch.rearms").summary().count()).isEqualTo(1);
            assertThat(registry.get("zk.client.watch.rearms").summary().totalAmount())
                    .isEqualTo(1);
            assertThat(registry.get("zk.client.connection.attempts")
                            .tag("outcome", "OK")
                            .timer()
                            .count())
                    .isEqualTo(2);

            // the session expires on the server
            Sessions.expire(server.connectString(), zk.sessionId(), zk.sessionPassword());
            assertThat(zk.awaitState(Duration.ofSeconds(30), SessionState.EXPIRED))
                    .isEqualTo(SessionState.EXPIRED);
            awaitTrue(() ->
                    registry.get("zk.client.session.expirations").counter().count() == 1);
            awaitTrue(() -> stateGauge(registry, SessionState.EXPIRED) == 1);
            assertThat(stateGauge(registry, SessionState.CONNECTED)).isZero();
            assertThat(registry.get("zk.client.watches").gauge().value()).isZero();
        }
    }

    private static double stateGauge(SimpleMeterRegistry registry, SessionState state) {
        return registry.get("zk.client.session.state")
                .tag("state", state.name())
                .gauge()
                .value();
    }

    @Test
    void aWatchNobodyReadsCountsAsASlowConsumer() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ZkClientMetrics metrics = new ZkClientMetrics(registry, Tags.of("client", "slow"));
        String base = "/slow-" + UUID.randomUUID();
        try (ZkClient zk = ZkClient.builder(server.connectString())
                .metricsListener(metrics)
                .slowConsumerWarning(Duration.ofSeconds(1))
                .build()) {
            zk.create(base, null);
            zk.addWatch(base, AddWatchMode.PERSISTENT); // never read
            for (int i = 0; i < 5; i++) {
                zk.setData(base, new byte[] {(byte) i});
            }
            awaitTrue(() -> registry.find("zk.client.slow.consumers")
                            .tags("client", "slow", "kind", "PERSISTENT_WATCH")
                            .counter()
                    != null);
            assertThat(registry.get("zk.client.slow.consumers")
                            .tags("kind", "PERSISTENT_WATCH")
                            .counter()
                            .count())
                    .isEqualTo(1);
        }
    }

    /** State changes reach listeners on the client's state thread: give it a bounded moment. */
    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
