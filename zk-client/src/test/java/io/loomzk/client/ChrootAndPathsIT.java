package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.protocol.ErrorCode;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkServer;
import io.loomzk.testing.ZkTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How a chrooted client maps the paths it is given, and which paths it accepts, against a real
 * server: a namespace never deletes itself, and nothing a chrooted client creates lands outside
 * its chroot.
 */
@ZkTest
@Timeout(120)
class ChrootAndPathsIT {

    private static String chrootOf(String connectString) {
        return connectString.substring(connectString.indexOf('/'));
    }

    @Test
    void deletingTheRootOfAChrootIsRefusedByTheServerAndTheNamespaceStays(
            @ZkConnectString String connectString, ZkServer server) {
        String chroot = chrootOf(connectString);
        try (ZkClient zk = ZkClient.builder(connectString).build();
                ZkClient root = ZkClient.builder(server.connectString()).build()) {
            assertThatThrownBy(() -> zk.delete("/", -1))
                    .isInstanceOfSatisfying(
                            ZkException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENTS));
            assertThat(root.exists(chroot)).as("the chroot node survives delete(\"/\")").isPresent();

            int version = root.exists(chroot).orElseThrow().version();
            assertThatThrownBy(() -> zk.delete("/", version)).isInstanceOf(ZkException.class);
            assertThat(root.exists(chroot)).isPresent();

            assertThatThrownBy(() -> zk.multi(Op.delete("/", -1)))
                    .isInstanceOfSatisfying(
                            ZkException.MultiFailed.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENTS));
            assertThat(root.exists(chroot)).as("the chroot node survives multi(delete(\"/\"))").isPresent();

            zk.create("/child", null);
            assertThat(zk.deleteRecursive("/")).isTrue();
            assertThat(root.exists(chroot)).as("deleteRecursive(\"/\") empties the namespace only").isPresent();
            assertThat(zk.getChildren("/").names()).isEmpty();
        }
    }

    @Test
    void theRootOfAChrootIsStillTheChrootNodeForEveryOtherOperation(
            @ZkConnectString String connectString, ZkServer server) {
        String chroot = chrootOf(connectString);
        try (ZkClient zk = ZkClient.builder(connectString).build();
                ZkClient root = ZkClient.builder(server.connectString()).build()) {
            zk.setData("/", new byte[] {7});
            assertThat(root.getData(chroot).data()).containsExactly(7);
            assertThat(zk.getData("/").data()).containsExactly(7);
            assertThat(zk.exists("/")).isPresent();
            zk.multi(Op.check("/", 1), Op.setData("/", new byte[] {8}, 1));
            assertThat(root.getData(chroot).data()).containsExactly(8);
            assertThatThrownBy(() -> zk.create("/", null)).isInstanceOf(ZkException.NodeExists.class);
        }
    }

    @Test
    void aSequentialCreateOfTheRootLandsInsideTheChroot(@ZkConnectString String connectString, ZkServer server) {
        String chroot = chrootOf(connectString);
        String parent = chroot.substring(0, chroot.lastIndexOf('/') + 1);
        String chrootName = chroot.substring(parent.length());
        try (ZkClient zk = ZkClient.builder(connectString).build();
                ZkClient root = ZkClient.builder(server.connectString()).build()) {
            Created created = zk.create("/", null, CreateOptions.persistentSequential());
            assertThat(created.path()).matches("/\\d{10}");
            assertThat(root.exists(chroot + created.path())).isPresent();

            List<OpResult> results = zk.multi(Op.create("/", null, CreateOptions.persistentSequential()));
            assertThat(((OpResult.CreateResult) results.get(0)).path()).matches("/\\d{10}");

            Created ephemeral = zk.create("/", null, CreateOptions.ephemeralSequential());
            assertThat(ephemeral.path()).matches("/\\d{10}");
            assertThat(zk.getEphemerals("/")).containsExactly(ephemeral.path());

            assertThat(zk.getChildren("/").names()).hasSize(3);
            List<String> outside = root.getChildren(parent.length() == 1 ? "/" : parent.substring(0, parent.length() - 1))
                    .names()
                    .stream()
                    .filter(n -> n.startsWith(chrootName) && !n.equals(chrootName))
                    .toList();
            assertThat(outside).as("nothing created next to the chroot").isEmpty();
        }
    }
}
