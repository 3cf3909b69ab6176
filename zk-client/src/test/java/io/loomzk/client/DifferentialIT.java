package io.loomzk.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.testing.ZkServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The same script of about fifty operations, run through LoomZK and through Apache's own client
 * against the same server (each in its own chroot), must give the same results and the same
 * errors. Stats are compared by their chroot-independent fields (versions, lengths, counts,
 * ephemeral or not); zxids and times differ between the two runs by nature.
 */
@Timeout(120)
class DifferentialIT {
    private static ZkServer server;

    @BeforeAll
    static void start() {
        server = ZkServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** What the script can ask of a client; results are normalised strings, errors "ERR:NAME". */
    interface Target {
        String create(String path, String data, String mode) throws Exception;

        String getData(String path) throws Exception;

        String setData(String path, String data, int version) throws Exception;

        String delete(String path, int version) throws Exception;

        String exists(String path) throws Exception;

        String children(String path) throws Exception;

        String allChildren(String path) throws Exception;

        String getAcl(String path) throws Exception;

        String setAclReadOnly(String path, int version) throws Exception;

        String multiCreateAndCheck(String path, int checkVersion) throws Exception;

        String sync(String path) throws Exception;

        String ephemerals(String prefix) throws Exception;
    }

    private static String stat(int version, int cversion, int aversion, int length, int children, boolean ephemeral) {
        return "v" + version + " cv" + cversion + " av" + aversion + " len" + length + " kids" + children
                + (ephemeral ? " eph" : "");
    }

    private static String normalise(String name) {
        return name.replace("_", "").toUpperCase(Locale.ROOT);
    }

    private static List<Function<Target, String>> script() {
        List<Function<Target, String>> s = new ArrayList<>();
        s.add(t -> call(() -> t.create("/a", "1", "persistent")));
        s.add(t -> call(() -> t.create("/a", "2", "persistent")));
        s.add(t -> call(() -> t.getData("/a")));
        s.add(t -> call(() -> t.setData("/a", "22", 0)));
        s.add(t -> call(() -> t.setData("/a", "333", 0)));
        s.add(t -> call(() -> t.exists("/a")));
        s.add(t -> call(() -> t.exists("/b")));
        s.add(t -> call(() -> t.create("/a/s-", "", "persistent_sequential")));
        s.add(t -> call(() -> t.create("/a/s-", "x", "persistent_sequential")));
        s.add(t -> call(() -> t.children("/a")));
        s.add(t -> call(() -> t.delete("/a", -1)));
        s.add(t -> call(() -> t.delete("/a/s-0000000000", 5)));
        s.add(t -> call(() -> t.delete("/a/s-0000000000", 0)));
        s.add(t -> call(() -> t.children("/a")));
        s.add(t -> call(() -> t.create("/x/y", "", "persistent")));
        s.add(t -> call(() -> t.create("/e", "eph", "ephemeral")));
        s.add(t -> call(() -> t.create("/e/c", "", "persistent")));
        s.add(t -> call(() -> t.exists("/e")));
        s.add(t -> call(() -> t.create("/e-", "", "ephemeral_sequential")));
        s.add(t -> call(() -> t.ephemerals("/")));
        s.add(t -> call(() -> t.allChildren("/")));
        s.add(t -> call(() -> t.getAcl("/a")));
        s.add(t -> call(() -> t.setAclReadOnly("/a", 3)));
        s.add(t -> call(() -> t.setAclReadOnly("/a", 0)));
        s.add(t -> call(() -> t.getAcl("/a")));
        s.add(t -> call(() -> t.setData("/a", "no", -1)));
        s.add(t -> call(() -> t.getData("/a")));
        s.add(t -> call(() -> t.multiCreateAndCheck("/m", 0)));
        s.add(t -> call(() -> t.multiCreateAndCheck("/m2", 9)));
        s.add(t -> call(() -> t.exists("/m2")));
        s.add(t -> call(() -> t.getData("/m")));
        s.add(t -> call(() -> t.sync("/")));
        s.add(t -> call(() -> t.create("/c", "", "container")));
        s.add(t -> call(() -> t.create("/c/k", "k", "persistent")));
        s.add(t -> call(() -> t.children("/c")));
        s.add(t -> call(() -> t.getData("/c/k")));
        s.add(t -> call(() -> t.delete("/c/k", -1)));
        s.add(t -> call(() -> t.delete("/c/k", -1)));
        s.add(t -> call(() -> t.getData("/missing")));
        s.add(t -> call(() -> t.children("/missing")));
        s.add(t -> call(() -> t.allChildren("/missing")));
        s.add(t -> call(() -> t.setData("/missing", "", -1)));
        s.add(t -> call(() -> t.getAcl("/missing")));
        s.add(t -> call(() -> t.create("/u", "ünïcødé ✓", "persistent")));
        s.add(t -> call(() -> t.getData("/u")));
        s.add(t -> call(() -> t.create("/u/日本", "", "persistent")));
        s.add(t -> call(() -> t.children("/u")));
        s.add(t -> call(() -> t.delete("/u", -1)));
        s.add(t -> call(() -> t.delete("/u/日本", -1)));
        s.add(t -> call(() -> t.delete("/u", 0)));
        s.add(t -> call(() -> t.exists("/u")));
        s.add(t -> call(() -> t.allChildren("/")));
        return s;
    }

    interface Step {
        String run() throws Exception;
    }

    private static String call(Step step) {
        try {
            return step.run();
        } catch (ZkException e) {
            if (e instanceof ZkException.MultiFailed m) {
                return "ERR:MULTI:" + normalise(m.code().name()) + "@" + m.failedIndex();
            }
            return "ERR:" + normalise(e.code().name());
        } catch (KeeperException e) {
            if (e.getResults() != null) {
                int index = 0;
                for (OpResult r : e.getResults()) {
                    if (r instanceof OpResult.ErrorResult er && er.getErr() != 0) {
                        break;
                    }
                    index++;
                }
                return "ERR:MULTI:" + normalise(e.code().name()) + "@" + index;
            }
            return "ERR:" + normalise(e.code().name());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void loomzkAndTheOfficialClientAgreeOnEveryResultAndError() throws Exception {
        String base = "/diff-" + UUID.randomUUID();
        try (ZkClient root = ZkClient.builder(server.connectString()).build()) {
            root.create(base, null);
            root.create(base + "/loomzk", null);
            root.create(base + "/apache", null);
        }
        List<String> ours = new ArrayList<>();
        List<String> theirs = new ArrayList<>();
        try (ZkClient zk =
                ZkClient.builder(server.connectString() + base + "/loomzk").build()) {
            Target t = new LoomTarget(zk);
            for (Function<Target, String> step : script()) {
                ours.add(step.apply(t));
            }
        }
        ZooKeeper apache = connectApache(server.connectString() + base + "/apache");
        try {
            Target t = new ApacheTarget(apache, base + "/apache");
            for (Function<Target, String> step : script()) {
                theirs.add(step.apply(t));
            }
        } finally {
            apache.close();
        }
        assertThat(ours).hasSizeGreaterThanOrEqualTo(50);
        for (int i = 0; i < ours.size(); i++) {
            assertThat(ours.get(i)).as("step %d", i).isEqualTo(theirs.get(i));
        }
        assertThat(ours).anyMatch(r -> r.startsWith("ERR:"));
    }

    static ZooKeeper connectApache(String connectString) throws Exception {
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper zk = new ZooKeeper(connectString, 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
        return zk;
    }

    private record LoomTarget(ZkClient zk) implements Target {
        private static String stat(io.loomzk.protocol.Stat s) {
            return DifferentialIT.stat(
                    s.version(), s.cversion(), s.aversion(), s.dataLength(), s.numChildren(), s.ephemeralOwner() != 0);
        }

        @Override
        public String create(String path, String data, String mode) {
            CreateOptions options = switch (mode) {
                case "persistent" -> CreateOptions.persistent();
                case "persistent_sequential" -> CreateOptions.persistentSequential();
                case "ephemeral" -> CreateOptions.ephemeral();
                case "ephemeral_sequential" -> CreateOptions.ephemeralSequential();
                case "container" -> CreateOptions.container();
                default -> throw new IllegalArgumentException(mode);
            };
            Created c = zk.create(path, data.getBytes(UTF_8), options);
            return c.path() + " " + stat(c.stat()).replace(" eph", c.stat().ephemeralOwner() > 0 ? " eph" : "");
        }

        @Override
        public String getData(String path) {
            NodeData d = zk.getData(path);
            return new String(d.data(), UTF_8) + " " + stat(d.stat());
        }

        @Override
        public String setData(String path, String data, int version) {
            return stat(zk.setData(path, data.getBytes(UTF_8), version));
        }

        @Override
        public String delete(String path, int version) {
            zk.delete(path, version);
            return "ok";
        }

        @Override
        public String exists(String path) {
            return zk.exists(path).map(LoomTarget::stat).orElse("none");
        }

        @Override
        public String children(String path) {
            return zk.getChildren(path).names().stream().sorted().toList().toString();
        }

        @Override
        public String allChildren(String path) {
            return Integer.toString(zk.getAllChildrenNumber(path));
        }

        @Override
        public String getAcl(String path) {
            AclData a = zk.getAcl(path);
            return a.acl().stream()
                            .map(x -> x.perms() + ":" + x.id().scheme() + ":" + x.id().id())
                            .toList()
                    + " " + stat(a.stat());
        }

        @Override
        public String setAclReadOnly(String path, int version) {
            return stat(zk.setAcl(path, Acls.READ_UNSAFE, version));
        }

        @Override
        public String multiCreateAndCheck(String path, int checkVersion) {
            List<io.loomzk.client.OpResult> r = zk.multi(
                    io.loomzk.client.Op.create(path, "m".getBytes(UTF_8), CreateOptions.persistent()),
                    io.loomzk.client.Op.check(path, checkVersion));
            return r.size() + " results";
        }

        @Override
        public String sync(String path) {
            zk.sync(path);
            return "ok";
        }

        @Override
        public String ephemerals(String prefix) {
            return zk.getEphemerals(prefix).stream().sorted().toList().toString();
        }
    }

    private record ApacheTarget(ZooKeeper zk, String chroot) implements Target {
        private static String stat(Stat s) {
            return DifferentialIT.stat(
                    s.getVersion(),
                    s.getCversion(),
                    s.getAversion(),
                    s.getDataLength(),
                    s.getNumChildren(),
                    s.getEphemeralOwner() != 0);
        }

        @Override
        public String create(String path, String data, String mode) throws Exception {
            Stat s = new Stat();
            String created = zk.create(
                    path,
                    data.getBytes(UTF_8),
                    ZooDefs.Ids.OPEN_ACL_UNSAFE,
                    CreateMode.valueOf(mode.toUpperCase(Locale.ROOT)),
                    s);
            return created + " " + stat(s).replace(" eph", s.getEphemeralOwner() > 0 ? " eph" : "");
        }

        @Override
        public String getData(String path) throws Exception {
            Stat s = new Stat();
            byte[] d = zk.getData(path, false, s);
            return new String(d == null ? new byte[0] : d, UTF_8) + " " + stat(s);
        }

        @Override
        public String setData(String path, String data, int version) throws Exception {
            return stat(zk.setData(path, data.getBytes(UTF_8), version));
        }

        @Override
        public String delete(String path, int version) throws Exception {
            zk.delete(path, version);
            return "ok";
        }

        @Override
        public String exists(String path) throws Exception {
            Stat s = zk.exists(path, false);
            return s == null ? "none" : stat(s);
        }

        @Override
        public String children(String path) throws Exception {
            return zk.getChildren(path, false).stream().sorted().toList().toString();
        }

        @Override
        public String allChildren(String path) throws Exception {
            return Integer.toString(zk.getAllChildrenNumber(path));
        }

        @Override
        public String getAcl(String path) throws Exception {
            Stat s = new Stat();
            List<ACL> acl = zk.getACL(path, s);
            return acl.stream()
                            .map(x -> x.getPerms() + ":" + x.getId().getScheme() + ":"
                                    + x.getId().getId())
                            .toList()
                    + " " + stat(s);
        }

        @Override
        public String setAclReadOnly(String path, int version) throws Exception {
            List<ACL> readOnly = new ArrayList<>(); // Apache's validateACL calls contains(null): no List.of
            readOnly.add(new ACL(ZooDefs.Perms.READ, new Id("world", "anyone")));
            return stat(zk.setACL(path, readOnly, version));
        }

        @Override
        public String multiCreateAndCheck(String path, int checkVersion) throws Exception {
            List<OpResult> r = zk.multi(List.of(
                    Op.create(path, "m".getBytes(UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
                    Op.check(path, checkVersion)));
            return r.size() + " results";
        }

        @Override
        public String sync(String path) throws Exception {
            CountDownLatch done = new CountDownLatch(1);
            zk.sync(path, (rc, p, ctx) -> done.countDown(), null);
            done.await(10, TimeUnit.SECONDS);
            return "ok";
        }

        @Override
        public String ephemerals(String prefix) throws Exception {
            // A known difference, on purpose: Apache's getEphemerals returns server paths with the
            // chroot still on them; LoomZK returns every path relative to the chroot.
            return zk.getEphemerals(prefix).stream()
                    .map(p -> p.startsWith(chroot) ? p.substring(chroot.length()) : p)
                    .sorted()
                    .toList()
                    .toString();
        }
    }
}
