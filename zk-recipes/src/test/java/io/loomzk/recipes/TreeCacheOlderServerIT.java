package io.loomzk.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.Op;
import io.loomzk.client.SessionState;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.testing.Sessions;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkProxy;
import io.loomzk.testing.ZkServer;
import io.loomzk.testing.ZkTest;
import io.loomzk.testing.ZkVersion;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link TreeCache} on ZooKeeper 3.5, which has no persistent watches: the same cache falls back
 * to one-shot data and child watches on every node, and stays exact through cuts and expiry.
 */
@ZkTest(version = ZkVersion.V3_5, childProcess = true)
@Timeout(180)
class TreeCacheOlderServerIT {
    private static final Duration CONVERGE = Duration.ofSeconds(60);

    @Test
    void fallsBackToOneShotWatchesAndConvergesThroughCuts(@ZkConnectString String direct, ZkProxy proxy)
            throws Exception {
        try (ZkClient writer = ZkClient.builder(direct).build();
                ZkClient zk = ZkClient.builder(proxy.connectString()).build()) {
            TreeCacheIT.warmUp(zk);
            CacheTrees.create(writer, "/s", 20, 50, 20);
            try (TreeCache<byte[]> cache = TreeCache.builder(zk, "/s")
                            .backlog(1_000_000, 1L << 30)
                            .build();
                    CacheTrees.Replica replica = new CacheTrees.Replica(cache)) {
                cache.start();
                assertThat(cache.awaitInitialized(Duration.ofSeconds(60))).isTrue();
                assertThat(cache.usesPersistentWatch()).isFalse();
                assertThat(replica.ready.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(CacheTrees.differences(writer.readTree("/s"), cache.snapshot()))
                        .isEmpty();

                Random random = new Random(35);
                for (int op = 0; op < 1_500; op++) {
                    if (op % 500 == 200) {
                        proxy.refuseNewConnections();
                        proxy.cutAll();
                    } else if (op % 500 == 350) {
                        proxy.resume();
                    }
                    change(writer, random);
                }
                proxy.resume();
                CacheTrees.awaitConverged(cache, writer, "/s", CONVERGE);
                replica.awaitSameAs(cache, CONVERGE);
                assertThat(replica.errors).isEmpty();
            }
        }
    }

    @Test
    void rebuildsAfterExpiryWithOneShotWatches(@ZkConnectString String direct, ZkServer server) throws Exception {
        try (ZkClient writer = ZkClient.builder(direct).build();
                ZkClient zk = ZkClient.builder(direct).build()) {
            TreeCacheIT.warmUp(zk);
            CacheTrees.create(writer, "/e", 5, 20, 10);
            try (TreeCache<byte[]> cache =
                            TreeCache.builder(zk, "/e").rebuildOnExpiry(true).build();
                    CacheTrees.Replica replica = new CacheTrees.Replica(cache)) {
                cache.start();
                assertThat(replica.ready.await(30, TimeUnit.SECONDS)).isTrue();
                Sessions.expire(server.connectString(), zk.sessionId(), zk.sessionPassword());
                writer.setData("/e/g1/n1", "after".getBytes(UTF_8));
                writer.delete("/e/g2/n2");
                assertThat(zk.awaitState(Duration.ofSeconds(30), SessionState.CONNECTED))
                        .isEqualTo(SessionState.CONNECTED);
                CacheTrees.awaitConverged(cache, writer, "/e", CONVERGE);
                writer.create("/e/g3/new", null);
                writer.setData("/e/g4/n4", "later".getBytes(UTF_8));
                CacheTrees.awaitConverged(cache, writer, "/e", CONVERGE);
                replica.awaitSameAs(cache, CONVERGE);
                assertThat(replica.errors).isEmpty();
            }
        }
    }

    private static void change(ZkClient writer, Random random) {
        String node = "/s/g" + random.nextInt(20) + "/n" + random.nextInt(70);
        byte[] data = CacheTrees.bytes(1 + random.nextInt(30), random.nextInt(100));
        try {
            switch (random.nextInt(4)) {
                case 0 -> writer.setData(node, data);
                case 1 -> writer.create(node, data);
                case 2 -> writer.delete(node);
                default -> writer.multi(Op.delete(node, -1), Op.create(node, data, CreateOptions.persistent()));
            }
        } catch (ZkException.NoNode | ZkException.NodeExists | ZkException.MultiFailed e) {
            // the random pick did not fit the tree: fine
        }
    }
}
