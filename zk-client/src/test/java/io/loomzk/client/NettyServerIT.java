package io.loomzk.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.protocol.AddWatchMode;
import io.loomzk.protocol.EventType;
import io.loomzk.testing.ZkServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A server on the Netty connection factory (which TLS requires, and the load tool's default):
 * it reads every request a packet brings, where the NIO factory takes one per selector pass, so
 * a pipelining client meets it differently. Every operation kind, watches of both kinds,
 * thousands of calls in flight, and a session that survives the server's restart.
 */
@Timeout(120)
class NettyServerIT {
    private static final String NETTY =
            "-Dzookeeper.serverCnxnFactory=org.apache.zookeeper.server.NettyServerCnxnFactory";

    @Test
    void aNettyServerServesEveryKindOfCallAndKeepsTheSessionAcrossARestart() throws Exception {
        try (ZkServer server =
                        ZkServer.builder().childProcess().jvmOptions(NETTY).start();
                ZkClient zk = ZkClient.builder(server.connectString())
                        .sessionTimeout(Duration.ofSeconds(30))
                        .requestTimeout(Duration.ofSeconds(40))
                        .build()) {
            long session = zk.sessionId();
            zk.create("/n", "v".getBytes(UTF_8));
            zk.create("/n/eph", null, CreateOptions.ephemeral());
            assertThat(zk.getData("/n").data()).isEqualTo("v".getBytes(UTF_8));
            assertThat(zk.exists("/n/none")).isEmpty();
            assertThat(zk.getChildren("/n").names()).containsExactly("eph");
            assertThat(zk.multi(Op.setData("/n", "w".getBytes(UTF_8), 0), Op.check("/n", 1)))
                    .hasSize(2);
            OneShotWatch oneShot = zk.getDataAndWatch("/n").watch();
            PersistentWatch persistent = zk.addWatch("/n", AddWatchMode.PERSISTENT_RECURSIVE);

            // thousands of callers on one connection: the server reads many frames per packet
            int callers = 2_000;
            AtomicInteger right = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                int n = i;
                threads.add(Thread.ofVirtual().start(() -> {
                    if (n % 10 == 0) {
                        zk.create("/n/c" + n, Integer.toString(n).getBytes(UTF_8));
                        right.incrementAndGet();
                    } else if (zk.getData("/n").data()[0] == 'w') {
                        right.incrementAndGet();
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(right).hasValue(callers);
            assertThat(zk.getChildren("/n").names()).hasSize(1 + callers / 10);
            assertThat(zk.getData("/n/c1990").data()).isEqualTo("1990".getBytes(UTF_8));

            server.restart(); // same port and data: the session lives in the snapshot
            assertThat(zk.exists("/n/eph")).isPresent();
            assertThat(zk.sessionId()).isEqualTo(session);
            zk.setData("/n", "x".getBytes(UTF_8));
            assertThat(oneShot.await(Duration.ofSeconds(10)).orElseThrow().type())
                    .isEqualTo(EventType.NODE_DATA_CHANGED);
            // the persistent watch saw the 200 creates, then the change after the restart
            WatchedEvent last = null;
            for (int i = 0; i <= callers / 10; i++) {
                last = persistent.poll(Duration.ofSeconds(10)).orElseThrow();
            }
            assertThat(last.type()).isEqualTo(EventType.NODE_DATA_CHANGED);
            assertThat(last.path()).isEqualTo("/n");
            persistent.close();
        }
    }
}
