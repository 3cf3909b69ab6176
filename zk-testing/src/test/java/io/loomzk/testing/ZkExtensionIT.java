package io.loomzk.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The extension used as users use it. */
@ZkTest
class ZkExtensionIT {
    @ZkInject
    static ZkServer classServer;

    static String classConnectString;

    @ZkInject
    ZkServer server;

    @ZkConnectString
    String connectString;

    @ZkInject
    ZkProxy proxy;

    String seenInBeforeEach;

    @BeforeAll
    static void beforeAll(@ZkConnectString String cs) {
        classConnectString = cs;
    }

    @BeforeEach
    void beforeEach(@ZkConnectString String cs) {
        seenInBeforeEach = cs;
    }

    @Test
    void injectsOneServerPerClassAndAChrootPerTest(ZkServer param, @ZkConnectString String cs) throws Exception {
        assertThat(param).isSameAs(server).isSameAs(classServer);
        assertThat(cs).isEqualTo(connectString).isEqualTo(seenInBeforeEach);
        assertThat(cs)
                .matches("127\\.0\\.0\\.1:" + server.port()
                        + "/ZkExtensionIT\\.injectsOneServerPerClassAndAChrootPerTest-\\d+");
        assertThat(classConnectString).matches("127\\.0\\.0\\.1:" + server.port() + "/ZkExtensionIT-\\d+");

        try (ApacheClient chrooted = ApacheClient.connect(cs);
                ApacheClient root = ApacheClient.connect(server.connectString())) {
            chrooted.zk.create("/x", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            String chroot = cs.substring(cs.indexOf('/'));
            assertThat(root.zk.exists(chroot + "/x", false)).isNotNull();
        }
    }

    @Test
    void theProxyIsPerTestAndCarriesTheTestsChroot(ZkProxy param) throws Exception {
        assertThat(param).isSameAs(proxy);
        String chroot = connectString.substring(connectString.indexOf('/'));
        assertThat(proxy.connectString()).isEqualTo("127.0.0.1:" + proxy.port() + chroot);
        try (ApacheClient viaProxy = ApacheClient.connect(proxy.connectString());
                ApacheClient direct = ApacheClient.connect(connectString)) {
            viaProxy.zk.create(
                    "/via-proxy",
                    "p".getBytes(StandardCharsets.UTF_8),
                    ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.PERSISTENT);
            assertThat(direct.zk.exists("/via-proxy", false)).isNotNull();
        }
    }

    @Nested
    class InANestedClass {
        @Test
        void theOuterClassesServerIsShared(ZkServer nestedServer, @ZkConnectString String cs) {
            assertThat(nestedServer).isSameAs(classServer);
            assertThat(cs).contains("/ZkExtensionIT$InANestedClass.theOuterClassesServerIsShared-");
        }
    }
}
