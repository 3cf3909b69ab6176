package io.loomzk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SessionsIT {

    @ParameterizedTest
    @EnumSource(names = {"V3_5", "V3_9"})
    void expiredSessionIsGoneOnTheServerWithItsEphemeralNode(ZkVersion version) throws Exception {
        try (ZkServer server = ZkServer.builder().version(version).start();
                ApacheClient victim = ApacheClient.connect(server.connectString(), 30_000);
                ApacheClient observer = ApacheClient.connect(server.connectString())) {
            victim.zk.create("/eph", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
            assertThat(observer.zk.exists("/eph", false)).isNotNull();

            Sessions.expire(server.connectString(), victim.zk.getSessionId(), victim.zk.getSessionPasswd());

            // Right away, long before the 30 s session timeout could have run out.
            assertThat(observer.zk.exists("/eph", false)).isNull();
            victim.awaitState(KeeperState.Expired, 10);
            assertThatThrownBy(() -> victim.zk.exists("/", false)).isInstanceOf(KeeperException.class);
        }
    }

    @Test
    void expiryThroughOneServerOfAnEnsembleEndsTheSessionOnAll() throws Exception {
        try (ZkEnsemble ensemble = ZkEnsemble.startWith(3);
                ApacheClient victim = ApacheClient.connect(ensemble.connectString(0), 30_000);
                ApacheClient observer = ApacheClient.connect(ensemble.connectString(2))) {
            victim.zk.create("/eph", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);

            Sessions.expire(ensemble.connectString(1), victim.zk.getSessionId(), victim.zk.getSessionPasswd());

            victim.awaitState(KeeperState.Expired, 10);
            observer.zk.sync("/", (rc, path, ctx) -> {}, null);
            assertThat(observer.zk.exists("/eph", false)).isNull();
        }
    }

    @Test
    void expiringAnUnknownSessionReturnsAtOnce() {
        try (ZkServer server = ZkServer.start()) {
            long started = System.nanoTime();
            Sessions.expire(server.connectString(), 0x1234_5678L, new byte[16]);
            assertThat(System.nanoTime() - started).isLessThan(2_000_000_000L);
        }
    }

    @Test
    void expiringOnAnUnreachableServerFails() {
        ZkServer server = ZkServer.start();
        server.close();
        assertThatThrownBy(() ->
                        Sessions.expire(server.connectString(), 1, new byte[16], java.time.Duration.ofMillis(500)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot expire session 0x1");
    }
}
