package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.testing.ZkServer;
import io.loomzk.testing.ZkTest;
import org.junit.jupiter.api.Test;

/**
 * The README's first example on a fresh server: a chroot that does not exist yet. Without
 * {@code createChroot(true)} the error names the missing chroot; with it, the example works.
 */
@ZkTest
class MissingChrootIT {
    @Test
    void createWithParentsUnderAMissingChrootNamesTheChroot(ZkServer server) {
        String chroot = "/missing-" + System.nanoTime();
        try (ZkClient zk = ZkClient.builder(server.connectString(chroot)).build()) {
            assertThatThrownBy(() -> zk.createWithParents("/config/db", new byte[0], CreateOptions.persistent()))
                    .isInstanceOf(ZkException.NoNode.class)
                    .hasMessageContaining(chroot)
                    .hasMessageContaining("createChroot(true)");
        }
        try (ZkClient root = ZkClient.builder(server.connectString()).build()) {
            assertThat(root.exists(chroot))
                    .as("nothing was created outside the chroot")
                    .isEmpty();
        }
    }

    @Test
    void createChrootMakesTheChrootAndItsAncestorsOnceAndTheExampleWorks(ZkServer server) {
        String chroot = "/apps-" + System.nanoTime() + "/app";
        for (int i = 0; i < 2; i++) { // the second build finds it there
            try (ZkClient zk = ZkClient.builder(server.connectString(chroot))
                    .createChroot(true)
                    .build()) {
                zk.createWithParents("/config/db" + i, "url=...".getBytes(), CreateOptions.persistent());
                assertThat(zk.getData("/config/db" + i).data()).asString().isEqualTo("url=...");
            }
        }
        try (ZkClient root = ZkClient.builder(server.connectString()).build()) {
            assertThat(root.getChildren(chroot + "/config").names()).containsExactlyInAnyOrder("db0", "db1");
        }
    }
}
