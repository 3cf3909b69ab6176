package io.loomzk.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.protocol.AddWatchMode;
import io.loomzk.protocol.EventType;
import io.loomzk.testing.ZkServer;
import io.loomzk.testing.ZkVersion;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Older server lines: connect, work, reconnect across a server restart, keep the session. */
@Timeout(180)
class CompatibilityIT {

    @ParameterizedTest
    @EnumSource(ZkVersion.class)
    void everyLineServesAndKeepsTheSessionAcrossAServerRestart(ZkVersion version) throws Exception {
        try (ZkServer server =
                        ZkServer.builder().version(version).childProcess().start();
                ZkClient zk = ZkClient.builder(server.connectString())
                        // room for a child JVM's stop and start on a loaded machine (and a 3.5
                        // server that takes connections before it answers them)
                        .sessionTimeout(Duration.ofSeconds(30))
                        .requestTimeout(Duration.ofSeconds(40))
                        .build()) {
            long session = zk.sessionId();
            zk.create("/compat", "v".getBytes(UTF_8));
            zk.create("/compat/eph", null, CreateOptions.ephemeral());
            assertThat(zk.multi(Op.setData("/compat", "w".getBytes(UTF_8), 0), Op.check("/compat", 1)))
                    .hasSize(2);
            OneShotWatch watch = zk.getDataAndWatch("/compat").watch();
            assertThat(zk.getChildren("/compat").names()).containsExactly("eph");

            server.restart(); // same port and data: the session lives in the snapshot
            assertThat(zk.exists("/compat/eph")).isPresent();
            assertThat(zk.sessionId()).isEqualTo(session);
            zk.setData("/compat", "x".getBytes(UTF_8));
            assertThat(watch.await(Duration.ofSeconds(10)).orElseThrow().type()).isEqualTo(EventType.NODE_DATA_CHANGED);
            System.out.printf("%s: session 0x%x survived a server restart%n", version, session);
        }
    }

    @Test
    void persistentWatchesOnA35ServerFailWithAClearError() {
        try (ZkServer server = ZkServer.builder().version(ZkVersion.V3_5).start();
                ZkClient zk = ZkClient.builder(server.connectString()).build()) {
            zk.create("/p", null);
            assertThatThrownBy(() -> zk.addWatch("/p", AddWatchMode.PERSISTENT))
                    .isInstanceOf(ZkException.Unimplemented.class)
                    .hasMessageContaining("3.6");
            // a 3.5 server drops the connection after an op code it does not know; the session
            // goes on over the next one
            long session = zk.sessionId();
            assertThat(readSurvivingADroppedConnection(zk, "/p")).isZero();
            assertThat(zk.sessionId()).isEqualTo(session);
        }
    }

    @Test
    void whoAmIOnAServerWithoutItFailsWithAClearError() {
        try (ZkServer server = ZkServer.builder().version(ZkVersion.V3_6).start();
                ZkClient zk = ZkClient.builder(server.connectString()).build()) {
            assertThatThrownBy(zk::whoAmI).isInstanceOf(ZkException.class);
            long session = zk.sessionId();
            assertThat(readSurvivingADroppedConnection(zk, "/zookeeper")).isZero();
            assertThat(zk.sessionId()).isEqualTo(session);
        }
    }

    /**
     * Reads a node's version; a read in flight when the server drops the connection fails with
     * connection loss and is safe to repeat.
     */
    private static int readSurvivingADroppedConnection(ZkClient zk, String path) {
        for (int attempt = 0; ; attempt++) {
            try {
                return zk.getData(path).stat().version();
            } catch (ZkException.ConnectionLoss e) {
                assertThat(attempt).as("connection loss after connection loss").isLessThan(3);
            }
        }
    }
}
