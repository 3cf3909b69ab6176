package io.loomzk.readme;

import io.loomzk.client.ClientMetricsListener;
import io.loomzk.client.SessionCredentials;
import io.loomzk.client.SessionState;
import io.loomzk.client.ZkClient;
import io.loomzk.micrometer.ZkClientMetrics;
import io.loomzk.protocol.OpCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;

/** The README's "Running in production" examples, compiled. */
final class ProductionSnippets {
    private ProductionSnippets() {}

    static ZkClient handOver(ZkClient zk) {
        // readme:begin hand-over
        // the old process, before it stops: a secret, store and pass it like a password
        SessionCredentials handed = zk.sessionCredentials();

        // the new process: resumes that session (its ephemeral nodes stay); SessionExpired if gone
        ZkClient next = ZkClient.builder("zk1:2181,zk2:2181,zk3:2181")
                .session(handed)
                .build();
        // readme:end hand-over
        return next;
    }

    static void drop(ZkClient zk) throws InterruptedException {
        // readme:begin drop-connection
        zk.dropConnection(); // as a network cut: calls in flight get ConnectionLoss
        zk.awaitState(Duration.ofSeconds(10), SessionState.CONNECTED); // same session, next server
        // readme:end drop-connection
    }

    static ZkClient listener() {
        // readme:begin metrics-listener
        ClientMetricsListener slowCalls = new ClientMetricsListener() {
            @Override
            public void callCompleted(OpCode op, String outcome, long nanos) {
                if (nanos > 100_000_000) {
                    System.err.println("slow " + op + ": " + outcome + " after " + nanos / 1_000_000 + " ms");
                }
            }
        };
        ZkClient zk = ZkClient.builder("zk1:2181,zk2:2181,zk3:2181")
                .metricsListener(slowCalls)
                .build();
        // readme:end metrics-listener
        return zk;
    }

    static ZkClient micrometer(MeterRegistry registry) {
        // readme:begin zk-micrometer
        ZkClientMetrics metrics = new ZkClientMetrics(registry, Tags.of("client", "orders"));
        ZkClient zk = ZkClient.builder("zk1:2181,zk2:2181,zk3:2181")
                .metricsListener(metrics)
                .build();
        metrics.bindTo(zk); // the zk.client.watches gauge reads the client
        // readme:end zk-micrometer
        return zk;
    }
}
