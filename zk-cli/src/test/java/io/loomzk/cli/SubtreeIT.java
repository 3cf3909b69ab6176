package io.loomzk.cli;

import static io.loomzk.cli.OneShotIT.list;
import static io.loomzk.cli.OneShotIT.map;
import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.Acls;
import io.loomzk.client.CreateOptions;
import io.loomzk.client.NodeData;
import io.loomzk.client.ZkClient;
import io.loomzk.protocol.ACL;
import io.loomzk.protocol.Perms;
import io.loomzk.recipes.LockLease;
import io.loomzk.recipes.ZkMutex;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkServer;
import io.loomzk.testing.ZkTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dump, restore, diff and locks against real servers. */
@ZkTest
class SubtreeIT {
    private static final String AUTH = "digest:admin:secret";

    /** Builds a subtree with text, binary, empty and large data and several kinds of ACL. */
    private static void buildTree(ZkClient zk) {
        List<ACL> adminOnly = List.of(Acls.digest("admin", "secret", Perms.ALL));
        List<ACL> mixed = List.of(
                Acls.digest("admin", "secret", Perms.ALL),
                Acls.world(Perms.READ),
                Acls.ip("127.0.0.1", Perms.READ | Perms.WRITE));
        byte[] large = new byte[200_000];
        new Random(7).nextBytes(large);
        zk.create("/app", "root".getBytes(StandardCharsets.UTF_8), CreateOptions.persistent());
        zk.create(
                "/app/config",
                "{\"k\":\"v\"}".getBytes(StandardCharsets.UTF_8),
                CreateOptions.persistent().withAcl(mixed));
        zk.create("/app/config/empty", new byte[0], CreateOptions.persistent());
        zk.create("/app/config/binary", new byte[] {0, (byte) 0xff, 10, 13, '"'}, CreateOptions.persistent());
        zk.create("/app/secret", "s".getBytes(StandardCharsets.UTF_8), CreateOptions.persistent());
        zk.create("/app/secret/large", large, CreateOptions.persistent().withAcl(adminOnly));
        zk.create("/app/secret/child", "c".getBytes(StandardCharsets.UTF_8), CreateOptions.persistent());
        // A parent whose ACL will not let anyone create: restore must still restore its children.
        zk.setAcl(
                "/app/secret",
                List.of(Acls.digest("admin", "secret", Perms.READ | Perms.ADMIN), Acls.world(Perms.READ)),
                -1);
    }

    /** Path (relative) → data and ACL, read directly with the client. */
    private static Map<String, List<Object>> contents(ZkClient zk, String root) {
        Map<String, List<Object>> out = new LinkedHashMap<>();
        List<String> paths = new ArrayList<>();
        paths.add(root);
        for (int i = 0; i < paths.size(); i++) {
            String p = paths.get(i);
            NodeData d = zk.getData(p);
            out.put(
                    p.substring(root.length()),
                    List.of(
                            new String(java.util.Base64.getEncoder().encode(d.data())),
                            zk.getAcl(p).acl()));
            for (String c : zk.getChildren(p).names().stream().sorted().toList()) {
                paths.add(p + "/" + c);
            }
        }
        return out;
    }

    private static ZkClient admin(String cs) {
        return ZkClient.builder(cs)
                .auth("digest", "admin:secret".getBytes(StandardCharsets.UTF_8))
                .build();
    }

    @Test
    void dumpThenRestoreIntoAnEmptyServerReproducesDataAndAcls(@ZkConnectString String cs, @TempDir Path dir)
            throws Exception {
        try (ZkClient zk = admin(cs)) {
            buildTree(zk);
        }
        Path file = dir.resolve("app.json");
        Cli.Result dump = Cli.once(cs, "--auth", AUTH, "--json", "dump", "/app", file.toString());
        assertThat(dump.exit()).as(dump.toString()).isZero();
        assertThat(dump.json()).containsEntry("nodes", 7L);
        assertThat(Files.readString(file)).doesNotContain(":secret").contains("\"format\":\"loomzk-dump\"");

        try (ZkServer empty = ZkServer.start()) {
            String target = empty.connectString();
            Cli.Result restore = Cli.once(target, "--auth", AUTH, "--json", "restore", file.toString(), "/copy/of/app");
            assertThat(restore.exit()).as(restore.toString()).isZero();
            assertThat(restore.json()).containsEntry("created", 7L).containsEntry("updated", 0L);
            try (ZkClient source = admin(cs);
                    ZkClient copy = admin(target)) {
                Map<String, List<Object>> expected = contents(source, "/app");
                assertThat(contents(copy, "/copy/of/app")).isEqualTo(expected);
            }
            // The restored tree and the dump agree; diff says so with exit 0.
            Cli.Result same =
                    Cli.once(target, "--auth", AUTH, "--json", "diff", "/copy/of/app", "--dump", file.toString());
            assertThat(same.exit()).as(same.toString()).isZero();
            assertThat(same.json()).containsEntry("same", true);

            // A second restore refuses to overwrite; --force overwrites changed data back.
            Cli.Result refused = Cli.once(target, "--auth", AUTH, "restore", file.toString(), "/copy/of/app");
            assertThat(refused.exit()).isEqualTo(ExitCode.NODE_EXISTS.code());
            assertThat(refused.err()).contains("restore --force");
            try (ZkClient copy = admin(target)) {
                copy.setData("/copy/of/app/config/empty", "changed".getBytes(StandardCharsets.UTF_8));
                copy.create("/copy/of/app/extra", new byte[0], CreateOptions.persistent());
            }
            Cli.Result differs =
                    Cli.once(target, "--auth", AUTH, "--json", "diff", "/copy/of/app", "-f", file.toString());
            assertThat(differs.exit()).isEqualTo(ExitCode.DIFFERENT.code());
            assertThat(list(differs.json().get("dataDiffers"))).containsExactly("/config/empty");
            assertThat(list(differs.json().get("onlyLeft"))).containsExactly("/extra");
            Cli.Result forced =
                    Cli.once(target, "--auth", AUTH, "--json", "restore", "--force", file.toString(), "/copy/of/app");
            assertThat(forced.exit()).as(forced.toString()).isZero();
            assertThat(forced.json()).containsEntry("updated", 7L);
            try (ZkClient copy = admin(target)) {
                assertThat(copy.getData("/copy/of/app/config/empty").data()).isEmpty();
            }
        }
    }

    @Test
    void diffOfTwoSubtreesNamesEveryDifference(@ZkConnectString String cs) {
        try (ZkClient zk = ZkClient.builder(cs).build()) {
            for (String root : List.of("/x", "/y")) {
                zk.create(root, new byte[0], CreateOptions.persistent());
                zk.create(root + "/same", "1".getBytes(), CreateOptions.persistent());
                zk.create(root + "/data", root.getBytes(), CreateOptions.persistent());
            }
            zk.create("/x/onlyx", new byte[0], CreateOptions.persistent());
            zk.create("/y/onlyy", new byte[0], CreateOptions.persistent());
            zk.setAcl("/y/same", List.of(Acls.world(Perms.READ | Perms.ADMIN)), -1);
        }
        Cli.Result r = Cli.once(cs, "--json", "diff", "/x", "/y");
        assertThat(r.exit()).isEqualTo(ExitCode.DIFFERENT.code());
        assertThat(r.json()).containsEntry("same", false);
        assertThat(list(r.json().get("onlyLeft"))).containsExactly("/onlyx");
        assertThat(list(r.json().get("onlyRight"))).containsExactly("/onlyy");
        assertThat(list(r.json().get("dataDiffers"))).containsExactly("/data");
        assertThat(list(r.json().get("aclDiffers"))).containsExactly("/same");
        Cli.Result text = Cli.once(cs, "diff", "/x", "/y");
        assertThat(text.out()).contains("- /onlyx", "+ /onlyy", "~ /data data: /x -> /y", "~ /same acl:");
        assertThat(Cli.once(cs, "diff", "/x", "/x").exit()).isZero();
    }

    @Test
    void locksShowsHoldersAndWaitersOfLoomZkAndCuratorLocks(@ZkConnectString String cs) throws Exception {
        try (ZkClient a = ZkClient.builder(cs).build();
                ZkClient b = ZkClient.builder(cs).build()) {
            LockLease held = ZkMutex.of(a, "/locks/mutex").acquire();
            CountDownLatch waiting = new CountDownLatch(1);
            Thread waiter = Thread.ofPlatform().name("lock-waiter").start(() -> {
                try {
                    waiting.countDown();
                    ZkMutex.of(b, "/locks/mutex")
                            .tryAcquire(Duration.ofSeconds(60))
                            .ifPresent(LockLease::close);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            try {
                waiting.await();
                awaitChildren(a, "/locks/mutex", 2);
                Cli.Result r = Cli.once(cs, "--json", "locks", "/locks/mutex");
                assertThat(r.exit()).as(r.toString()).isZero();
                List<Object> contenders = list(r.json().get("contenders"));
                assertThat(contenders).hasSize(2);
                assertThat(map(contenders.get(0)))
                        .containsEntry("role", "holder")
                        .containsEntry("session", "0x" + Long.toHexString(a.sessionId()));
                assertThat((String) map(contenders.get(0)).get("client")).startsWith("127.0.0.1:");
                assertThat(map(contenders.get(1)))
                        .containsEntry("role", "waiter")
                        .containsEntry("session", "0x" + Long.toHexString(b.sessionId()));
                assertThat(Cli.once(cs, "locks", "/locks/mutex").out()).contains("holder", "waiter", "AGE");
            } finally {
                held.close();
                waiter.join(TimeUnit.SECONDS.toMillis(60));
            }
        }
        String hosts = cs.substring(0, cs.indexOf('/'));
        String chroot = cs.substring(cs.indexOf('/') + 1);
        try (CuratorFramework curator = CuratorFrameworkFactory.builder()
                .connectString(hosts)
                .namespace(chroot)
                .retryPolicy(new RetryOneTime(100))
                .build()) {
            curator.start();
            InterProcessMutex mutex = new InterProcessMutex(curator, "/locks/curator");
            assertThat(mutex.acquire(30, TimeUnit.SECONDS)).isTrue();
            try {
                Cli.Result r = Cli.once(cs, "--json", "locks", "/locks/curator");
                assertThat(r.exit()).as(r.toString()).isZero();
                List<Object> contenders = list(r.json().get("contenders"));
                assertThat(contenders).hasSize(1);
                assertThat(map(contenders.get(0)))
                        .containsEntry("role", "holder")
                        .containsEntry("kind", "exclusive")
                        .containsEntry(
                                "session",
                                "0x"
                                        + Long.toHexString(curator.getZookeeperClient()
                                                .getZooKeeper()
                                                .getSessionId()));
            } finally {
                mutex.release();
            }
        }
    }

    private static void awaitChildren(ZkClient zk, String path, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (zk.getChildren(path).names().size() < n) {
            assertThat(System.nanoTime()).as("waiter's node appears").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void traceForwardsAndPrintsDecodedFrames(@ZkConnectString String cs) throws Exception {
        String server = cs.substring(0, cs.indexOf('/'));
        String chroot = cs.substring(cs.indexOf('/'));
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Cli.once(cs, "create", "/traced", "t");
        Cli.Result[] trace = new Cli.Result[1];
        // Platform threads for the test's own helpers: a virtual thread loading classes can pin
        // (the JDK holds a native frame), which the extension reports; that is not under test.
        Thread tracer = Thread.ofPlatform()
                .name("trace-cli")
                .start(() -> trace[0] = Cli.once(
                        cs,
                        "trace",
                        "--listen",
                        Integer.toString(port),
                        "--forward",
                        server,
                        "--frames",
                        "7",
                        "--for",
                        "60"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Cli.Result got = null;
        while (System.nanoTime() < deadline) {
            got = Cli.once("127.0.0.1:" + port + chroot, "--timeout", "2", "get", "/traced");
            if (got.exit() == 0) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(got).isNotNull();
        assertThat(got.out()).as(got + "\ntrace: " + trace[0]).isEqualTo("t\n");
        tracer.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(trace[0].exit()).isZero();
        assertThat(trace[0].out())
                .contains("c->s connect", "s->c connected", "GET_DATA")
                .contains(chroot + "/traced");
    }
}
