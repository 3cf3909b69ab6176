package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.protocol.ErrorCode;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkServer;
import io.loomzk.testing.ZkTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
            assertThat(root.exists(chroot))
                    .as("the chroot node survives delete(\"/\")")
                    .isPresent();

            int version = root.exists(chroot).orElseThrow().version();
            assertThatThrownBy(() -> zk.delete("/", version)).isInstanceOf(ZkException.class);
            assertThat(root.exists(chroot)).isPresent();

            assertThatThrownBy(() -> zk.multi(Op.delete("/", -1)))
                    .isInstanceOfSatisfying(
                            ZkException.MultiFailed.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_ARGUMENTS));
            assertThat(root.exists(chroot))
                    .as("the chroot node survives multi(delete(\"/\"))")
                    .isPresent();

            zk.create("/child", null);
            assertThat(zk.deleteRecursive("/")).isTrue();
            assertThat(root.exists(chroot))
                    .as("deleteRecursive(\"/\") empties the namespace only")
                    .isPresent();
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
            List<String> outside =
                    root
                            .getChildren(parent.length() == 1 ? "/" : parent.substring(0, parent.length() - 1))
                            .names()
                            .stream()
                            .filter(n -> n.startsWith(chrootName) && !n.equals(chrootName))
                            .toList();
            assertThat(outside).as("nothing created next to the chroot").isEmpty();
        }
    }

    /**
     * Run in a child JVM with a 128 MiB heap: creates an ephemeral {@code /e}, then calls
     * {@code createWithParents} on a path 20,000 levels deep below it, which must fail at the
     * first ancestor ({@code /e/a}: ephemerals have no children). Holding every ancestor at once
     * would take 400 MB before the first create. Exits 0 when the call failed as it should.
     */
    static final class DeepPathProbe {
        public static void main(String[] args) {
            try (ZkClient zk = ZkClient.builder(args[0]).build()) {
                zk.create("/e", null, CreateOptions.ephemeral());
                String deep = "/e" + "/a".repeat(19_999); // 40,000 characters
                try {
                    zk.createWithParents(deep, null, CreateOptions.persistent());
                    System.out.println("created a child of an ephemeral node");
                    System.exit(2);
                } catch (ZkException.NoChildrenForEphemerals e) {
                    System.out.println("refused at " + e.path());
                }
            } catch (OutOfMemoryError e) {
                System.out.println("out of memory");
                System.exit(3);
            }
            System.exit(0);
        }
    }

    @Test
    void createWithParentsWalksAPathTwentyThousandLevelsDeepOneAncestorAtATime(@ZkConnectString String connectString)
            throws Exception {
        Process probe = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx128m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        DeepPathProbe.class.getName(),
                        connectString)
                .redirectErrorStream(true)
                .start();
        String output;
        try {
            assertThat(probe.waitFor(90, TimeUnit.SECONDS))
                    .as("the probe finishes")
                    .isTrue();
            output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            probe.destroyForcibly();
        }
        assertThat(output).contains("refused at /e/a");
        assertThat(probe.exitValue()).as(output).isZero();

        try (ZkClient zk = ZkClient.builder(connectString).build()) {
            String fiveHundred = "/d" + "/b".repeat(499);
            Created created = zk.createWithParents(fiveHundred, new byte[] {1}, CreateOptions.persistent());
            assertThat(created.path()).isEqualTo(fiveHundred);
            assertThat(zk.getData(fiveHundred).data()).containsExactly(1);
            assertThat(zk.exists("/d/b/b")).isPresent();

            Created queued = zk.createWithParents("/q/r/", null, CreateOptions.persistentSequential());
            assertThat(queued.path()).matches("/q/r/\\d{10}");
        }
    }

    @Test
    void sequentialCreatesMayEndInDotSegmentsBecauseTheServerAppendsTheCounter(@ZkConnectString String connectString) {
        try (ZkClient zk = ZkClient.builder(connectString).build()) {
            zk.create("/p", null);
            assertThat(zk.create("/p/.", null, CreateOptions.persistentSequential())
                            .path())
                    .matches("/p/\\.\\d{10}");
            assertThat(zk.create("/p/..", null, CreateOptions.ephemeralSequential())
                            .path())
                    .matches("/p/\\.\\.\\d{10}");
            List<OpResult> results = zk.multi(Op.create("/p/.", null, CreateOptions.persistentSequential()));
            assertThat(((OpResult.CreateResult) results.get(0)).path()).matches("/p/\\.\\d{10}");
            assertThat(zk.createWithParents("/n/..", null, CreateOptions.persistentSequential())
                            .path())
                    .matches("/n/\\.\\.\\d{10}");
            assertThat(zk.getChildren("/p").names()).hasSize(3);

            assertThatThrownBy(() -> zk.create("/p/.", null)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> zk.create("/p/../x", null, CreateOptions.persistentSequential()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
