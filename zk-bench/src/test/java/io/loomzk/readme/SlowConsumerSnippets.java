package io.loomzk.readme;

import io.loomzk.client.ZkClient;
import java.time.Duration;

/** The README's "Slow consumers" snippet, compiled (never run). */
@SuppressWarnings("unused")
final class SlowConsumerSnippets {
    private SlowConsumerSnippets() {}

    static void configure() {
        // readme:begin slow-consumer
        ZkClient zk = ZkClient.builder("zk1:2181,zk2:2181,zk3:2181")
                .slowConsumerWarning(Duration.ofSeconds(5)) // default 10 s
                .build();
        // readme:end slow-consumer
        zk.close();
    }
}
