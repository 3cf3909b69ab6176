package io.loomzk.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Runs sample test classes through JUnit and checks what the extension did around them. */
class ZkExtensionLifecycleIT {

    @Test
    void serversAreSharedByAClassRepairedBetweenTestsAndClosedAfterIt() {
        Sample.seen.clear();
        Samples.run(Sample.class)
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.started(3).succeeded(3));

        assertThat(Sample.seen).hasSize(3);
        ZkServer server = Sample.seen.get(0).server();
        assertThat(Sample.seen).allSatisfy(s -> assertThat(s.server()).isSameAs(server));
        assertThat(Sample.seen).extracting(Seen::connectString).doesNotHaveDuplicates();
        // Closed after the class: nothing answers on the server's, ensemble's or proxy's ports.
        assertThat(ZkServerIT.accepts(server.port())).isFalse();
        assertThat(Sample.seen)
                .extracting(s -> s.proxy().port())
                .allSatisfy(port -> assertThat(ZkServerIT.accepts(port)).isFalse());
        ZkEnsemble ensemble = Sample.seen.get(2).ensemble();
        for (int i = 0; i < ensemble.size(); i++) {
            assertThat(ZkServerIT.accepts(ensemble.clientPort(i))).isFalse();
        }
    }

    record Seen(ZkServer server, ZkProxy proxy, String connectString, ZkEnsemble ensemble) {}

    @Samples.Sample
    @ZkTest(childProcess = true)
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class Sample {
        static final List<Seen> seen = new ArrayList<>();

        @Test
        @Order(1)
        void createsANodeThenKillsTheServer(ZkServer server, ZkProxy proxy, @ZkConnectString String cs)
                throws Exception {
            try (ApacheClient c = ApacheClient.connect(cs)) {
                c.zk.create("/mine", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
            server.kill();
            seen.add(new Seen(server, proxy, cs, null));
        }

        @Test
        @Order(2)
        void findsTheServerBackAndItsOwnChrootEmpty(ZkServer server, ZkProxy proxy, @ZkConnectString String cs)
                throws Exception {
            assertThat(server.isRunning()).isTrue();
            try (ApacheClient c = ApacheClient.connect(cs)) {
                assertThat(c.zk.exists("/mine", false)).isNull();
            }
            seen.add(new Seen(server, proxy, cs, null));
        }

        @Test
        @Order(3)
        void getsAnEnsembleWithChroot(
                ZkServer server,
                ZkProxy proxy,
                ZkEnsemble ensemble,
                @ZkConnectString(ZkConnectString.Target.ENSEMBLE) String cs)
                throws Exception {
            assertThat(cs).startsWith(ensemble.connectString() + "/");
            try (ApacheClient c = ApacheClient.connect(cs)) {
                assertThat(c.zk.getChildren("/", false)).isEmpty();
            }
            seen.add(new Seen(server, proxy, cs, ensemble));
        }
    }
}
