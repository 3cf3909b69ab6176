package io.loomzk.client;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.protocol.ACL;
import io.loomzk.protocol.CreateMode;
import io.loomzk.protocol.ErrorCode;
import io.loomzk.protocol.Perms;
import io.loomzk.protocol.Stat;
import io.loomzk.testing.ZkServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every operation and its error paths, against a real 3.9 server, inside a fresh chroot per test. */
@Timeout(60)
class OperationsIT {
    private static ZkServer server;
    private ZkClient zk;
    private String chroot;

    @BeforeAll
    static void startServer() {
        // The in-process server's container manager reads this once at start: sweep every 100 ms
        // so container and TTL nodes go away within the test.
        System.setProperty("znode.container.checkIntervalMs", "100");
        server = ZkServer.builder().property("extendedTypesEnabled", "true").start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void connect() {
        chroot = "/t-" + UUID.randomUUID();
        try (ZkClient root = ZkClient.builder(server.connectString()).build()) {
            root.create(chroot, null);
        }
        zk = ZkClient.builder(server.connectString() + chroot).build();
    }

    @AfterEach
    void disconnect() {
        zk.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void createReadUpdateDeleteWithVersions() {
        Created created = zk.create("/node", bytes("v0"));
        assertThat(created.path()).isEqualTo("/node");
        assertThat(created.stat().version()).isZero();
        assertThat(created.stat().dataLength()).isEqualTo(2);

        NodeData read = zk.getData("/node");
        assertThat(read.data()).isEqualTo(bytes("v0"));
        assertThat(read.stat()).isEqualTo(created.stat());

        Stat updated = zk.setData("/node", bytes("v1"), 0);
        assertThat(updated.version()).isEqualTo(1);
        assertThatThrownBy(() -> zk.setData("/node", bytes("stale"), 0))
                .isInstanceOf(ZkException.BadVersion.class)
                .satisfies(e -> {
                    ZkException z = (ZkException) e;
                    assertThat(z.path()).isEqualTo("/node");
                    assertThat(z.mayHaveBeenApplied()).isFalse();
                    assertThat(z.code()).isEqualTo(ErrorCode.BAD_VERSION);
                });
        assertThat(zk.setData("/node", bytes("v2")).version()).isEqualTo(2);

        assertThatThrownBy(() -> zk.delete("/node", 1)).isInstanceOf(ZkException.BadVersion.class);
        zk.delete("/node", 2);
        assertThat(zk.exists("/node")).isEmpty();
        assertThatThrownBy(() -> zk.delete("/node")).isInstanceOf(ZkException.NoNode.class);
        assertThatThrownBy(() -> zk.getData("/node"))
                .isInstanceOf(ZkException.NoNode.class)
                .hasMessage("no node: /node");
    }

    @Test
    void nullDataReadsAsEmpty() {
        zk.create("/empty", null);
        assertThat(zk.getData("/empty").data()).isEmpty();
        zk.setData("/empty", new byte[0]);
        assertThat(zk.getData("/empty").data()).isEmpty();
    }

    @Test
    void createErrors() {
        zk.create("/a", null);
        assertThatThrownBy(() -> zk.create("/a", null)).isInstanceOf(ZkException.NodeExists.class);
        assertThatThrownBy(() -> zk.create("/missing/child", null)).isInstanceOf(ZkException.NoNode.class);
        zk.create("/eph", null, CreateOptions.ephemeral());
        assertThatThrownBy(() -> zk.create("/eph/child", null)).isInstanceOf(ZkException.NoChildrenForEphemerals.class);
        zk.create("/a/child", null);
        assertThatThrownBy(() -> zk.delete("/a")).isInstanceOf(ZkException.NotEmpty.class);
    }

    @Test
    void sequentialNodesGetIncreasingSuffixesRelativeToTheChroot() {
        zk.create("/q", null);
        Created first = zk.create("/q/item-", bytes("1"), CreateOptions.persistentSequential());
        Created second = zk.create("/q/item-", bytes("2"), CreateOptions.ephemeralSequential());
        assertThat(first.path()).matches("/q/item-\\d{10}");
        assertThat(second.path()).matches("/q/item-\\d{10}");
        assertThat(second.path()).isGreaterThan(first.path());
        assertThat(second.stat().ephemeralOwner()).isEqualTo(zk.sessionId());
        Created bare = zk.create("/q/", null, CreateOptions.persistentSequential());
        assertThat(bare.path()).matches("/q/\\d{10}");
    }

    @Test
    void childrenAndCounts() {
        zk.create("/p", null);
        for (String c : List.of("x", "y", "z")) {
            zk.create("/p/" + c, null);
        }
        zk.create("/p/x/deep", null);
        Children children = zk.getChildren("/p");
        assertThat(children.names()).containsExactlyInAnyOrder("x", "y", "z");
        assertThat(children.stat().numChildren()).isEqualTo(3);
        assertThat(zk.getAllChildrenNumber("/p")).isEqualTo(4);
        assertThat(zk.getChildren("/p/y").names()).isEmpty();
        assertThatThrownBy(() -> zk.getChildren("/none")).isInstanceOf(ZkException.NoNode.class);
    }

    @Test
    void ephemeralsAreListedRelativeToTheChrootAndVanishOnClose() {
        zk.create("/e1", null, CreateOptions.ephemeral());
        zk.create("/dir", null);
        zk.create("/dir/e2", null, CreateOptions.ephemeral());
        assertThat(zk.getEphemerals()).containsExactlyInAnyOrder("/e1", "/dir/e2");
        assertThat(zk.getEphemerals("/dir")).containsExactly("/dir/e2");
        zk.close();
        try (ZkClient other = ZkClient.builder(server.connectString() + chroot).build()) {
            assertThat(other.exists("/e1")).isEmpty();
            assertThat(other.exists("/dir/e2")).isEmpty();
        }
        zk = ZkClient.builder(server.connectString() + chroot).build();
    }

    @Test
    void containerNodesVanishAfterTheirLastChildGoes() throws Exception {
        Created c = zk.create("/box", null, CreateOptions.container());
        assertThat(c.stat().ephemeralOwner()).isZero(); // the server hides its container marker
        zk.create("/box/item", null);
        assertThat(zk.getChildren("/box").names()).containsExactly("item");
        zk.delete("/box/item");
        awaitGone("/box");
    }

    @Test
    void ttlNodesVanishAfterTheirTtlAndSequentialTtlNodesGetTheirSuffix() throws Exception {
        Created ttl = zk.create("/ttl", bytes("x"), CreateOptions.ttl(Duration.ofMillis(200)));
        assertThat(ttl.path()).isEqualTo("/ttl");
        Created seq = zk.create("/ttl-", null, CreateOptions.sequentialTtl(Duration.ofMinutes(10)));
        assertThat(seq.path()).matches("/ttl-\\d{10}");
        awaitGone("/ttl");
        assertThat(zk.exists(seq.path())).isPresent();
    }

    private void awaitGone(String path) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (zk.exists(path).isPresent()) {
            assertThat(System.nanoTime()).as(path + " still exists").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void aclsAndDigestAuthentication() {
        ACL alice = Acls.digest("alice", "secret", Perms.ALL);
        zk.create("/private", bytes("s"), CreateOptions.persistent().withAcl(List.of(alice)));
        assertThatThrownBy(() -> zk.getData("/private")).isInstanceOf(ZkException.NoAuth.class);
        assertThatThrownBy(() -> zk.getAcl("/private")).isInstanceOf(ZkException.NoAuth.class);

        zk.addAuth("digest", Acls.digestCredentials("alice", "secret"));
        assertThat(zk.getAcl("/private").acl()).containsExactly(alice);
        assertThat(zk.getData("/private").data()).isEqualTo(bytes("s"));
        assertThat(zk.whoAmI()).anySatisfy(info -> {
            assertThat(info.authScheme()).isEqualTo("digest");
            assertThat(info.user()).isEqualTo("alice");
        });

        AclData before = zk.getAcl("/private");
        assertThatThrownBy(() ->
                        zk.setAcl("/private", Acls.OPEN_UNSAFE, before.stat().aversion() + 5))
                .isInstanceOf(ZkException.BadVersion.class);
        Stat after = zk.setAcl("/private", Acls.READ_UNSAFE, before.stat().aversion());
        assertThat(after.aversion()).isEqualTo(before.stat().aversion() + 1);
        assertThatThrownBy(() -> zk.setData("/private", bytes("no"))).isInstanceOf(ZkException.NoAuth.class);

        zk.create("/mine", null, CreateOptions.persistent().withAcl(Acls.CREATOR_ALL));
        assertThat(zk.getAcl("/mine").acl())
                .singleElement()
                .satisfies(a -> assertThat(a.id().id()).isEqualTo(Acls.digestId("alice", "secret")));
    }

    @Test
    void creatorAllWithoutAuthenticationIsAnInvalidAcl() {
        assertThatThrownBy(
                        () -> zk.create("/x", null, CreateOptions.persistent().withAcl(Acls.CREATOR_ALL)))
                .isInstanceOf(ZkException.InvalidAcl.class);
    }

    @Test
    void credentialsFromTheBuilderAreAddedAtConnect() {
        zk.create(
                "/bob", bytes("b"), CreateOptions.persistent().withAcl(List.of(Acls.digest("bob", "pw", Perms.READ))));
        try (ZkClient bob = ZkClient.builder(server.connectString() + chroot)
                .auth("digest", Acls.digestCredentials("bob", "pw"))
                .build()) {
            assertThat(bob.getData("/bob").data()).isEqualTo(bytes("b"));
        }
    }

    @Test
    void anUnknownAuthSchemeFailsTheSessionForGood() {
        try (ZkClient doomed = ZkClient.builder(server.connectString() + chroot).build()) {
            assertThatThrownBy(() -> doomed.addAuth("no-such-scheme", bytes("x")))
                    .isInstanceOf(ZkException.AuthFailed.class)
                    .satisfies(e -> assertThat(((ZkException) e).isTerminal()).isTrue());
        }
    }

    @Test
    void syncAndConfigAndWhoAmI() {
        zk.sync("/");
        NodeData config = zk.getConfig();
        assertThat(config.stat()).isNotNull();
        assertThat(zk.whoAmI()).anySatisfy(info -> assertThat(info.authScheme()).isEqualTo("ip"));
    }

    @Test
    void multiAppliesAllOrNothingAndReportsEveryResult() {
        List<OpResult> results = zk.multi(
                Op.createWithStat("/m", bytes("0"), CreateOptions.persistent()),
                Op.create("/m/seq-", null, CreateOptions.persistentSequential()),
                Op.setData("/m", bytes("1"), 0),
                Op.check("/m", 1),
                Op.delete("/m/seq-0000000000", -1));
        assertThat(results).hasSize(5);
        assertThat(results.get(0)).isInstanceOfSatisfying(OpResult.CreateResult.class, r -> {
            assertThat(r.path()).isEqualTo("/m");
            assertThat(r.stat()).isNotNull();
        });
        assertThat(results.get(1)).isEqualTo(new OpResult.CreateResult("/m/seq-0000000000", null)); // no stat asked
        assertThat(results.get(2))
                .isInstanceOfSatisfying(
                        OpResult.SetDataResult.class,
                        r -> assertThat(r.stat().version()).isEqualTo(1));
        assertThat(results.get(3)).isInstanceOf(OpResult.CheckResult.class);
        assertThat(results.get(4)).isInstanceOf(OpResult.DeleteResult.class);

        assertThatThrownBy(() -> zk.multi(
                        Op.create("/m2", null, CreateOptions.persistent()), Op.check("/m", 7), Op.delete("/m", -1)))
                .isInstanceOfSatisfying(ZkException.MultiFailed.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_VERSION);
                    assertThat(e.failedIndex()).isEqualTo(1);
                    assertThat(e.path()).isEqualTo("/m");
                    assertThat(e.results()).hasSize(3);
                    assertThat(e.results().get(0)).isEqualTo(new OpResult.ErrorResult(0));
                    assertThat(e.results().get(1)).isEqualTo(new OpResult.ErrorResult(ErrorCode.BAD_VERSION.code()));
                    assertThat(e.results().get(2))
                            .isEqualTo(new OpResult.ErrorResult(ErrorCode.RUNTIME_INCONSISTENCY.code()));
                });
        assertThat(zk.exists("/m2")).isEmpty();
        assertThat(zk.getData("/m").data()).isEqualTo(bytes("1"));
    }

    @Test
    void multiReadGivesEachReadItsOwnResult() {
        zk.create("/r", bytes("data"));
        zk.create("/r/c", null);
        List<OpResult> results =
                zk.multiRead(ReadOp.getData("/r"), ReadOp.getChildren("/r"), ReadOp.getData("/missing"));
        assertThat(results.get(0))
                .isInstanceOfSatisfying(
                        OpResult.GetDataResult.class,
                        r -> assertThat(r.node().data()).isEqualTo(bytes("data")));
        assertThat(results.get(1)).isEqualTo(new OpResult.GetChildrenResult(List.of("c")));
        assertThat(results.get(2)).isEqualTo(new OpResult.ErrorResult(ErrorCode.NO_NODE.code()));
    }

    @Test
    void conveniences() {
        Created deep = zk.createWithParents("/a/b/c/d", bytes("leaf"), CreateOptions.persistent());
        assertThat(deep.path()).isEqualTo("/a/b/c/d");
        assertThat(zk.exists("/a/b/c")).isPresent();

        assertThat(zk.createIfAbsent("/a/b", null, CreateOptions.persistent())).isFalse();
        assertThat(zk.createIfAbsent("/a/new", null, CreateOptions.persistent()))
                .isTrue();

        Map<String, NodeData> tree = zk.readTree("/a");
        assertThat(tree.keySet()).containsExactly("/a", "/a/b", "/a/b/c", "/a/b/c/d", "/a/new");
        assertThat(tree.get("/a/b/c/d").data()).isEqualTo(bytes("leaf"));

        Optional<Stat> swapped = zk.compareAndSet("/a/new", 0, bytes("1"));
        assertThat(swapped).isPresent();
        assertThat(zk.compareAndSet("/a/new", 0, bytes("2"))).isEmpty();

        NodeData incremented =
                zk.update("/a/new", old -> bytes(Integer.toString(Integer.parseInt(new String(old, UTF_8)) + 1)));
        assertThat(incremented.data()).isEqualTo(bytes("2"));
        assertThat(incremented.stat().version()).isEqualTo(2);

        assertThat(zk.deleteRecursive("/a")).isTrue();
        assertThat(zk.exists("/a")).isEmpty();
        assertThat(zk.deleteRecursive("/a")).isFalse();
    }

    @Test
    void concurrentUpdatesAllLand() throws Exception {
        zk.create("/counter", bytes("0"));
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            threads.add(Thread.ofVirtual()
                    .start(() -> zk.update(
                            "/counter", old -> bytes(Integer.toString(Integer.parseInt(new String(old, UTF_8)) + 1)))));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(new String(zk.getData("/counter").data(), UTF_8)).isEqualTo("50");
    }

    @Test
    void invalidPathsFailBeforeAnythingIsSent() {
        assertThatThrownBy(() -> zk.getData("relative")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> zk.create("/a/", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> zk.exists("/a//b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> zk.delete("/a/..")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> zk.setData("/a\u0000", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> zk.multi(Op.create("bad", null, CreateOptions.persistent())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(zk.state()).isEqualTo(SessionState.CONNECTED);
    }

    @Test
    void anOversizedRequestFailsFastAndTheConnectionStaysUp() {
        zk.create("/big", null);
        byte[] tooBig = new byte[1024 * 1024];
        assertThatThrownBy(() -> zk.setData("/big", tooBig))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exceeds maxFrameBytes");
        assertThat(zk.setData("/big", new byte[1000 * 1000]).dataLength()).isEqualTo(1000 * 1000);
        assertThat(zk.getData("/big").data()).hasSize(1000 * 1000);
    }

    @Test
    void chrootIsAppliedToArgumentsAndStrippedFromResults() {
        zk.create("/inside", null);
        try (ZkClient root = ZkClient.builder(server.connectString()).build()) {
            assertThat(root.exists(chroot + "/inside")).isPresent();
            assertThat(root.exists("/inside")).isEmpty();
        }
        assertThat(zk.getChildren("/").names()).contains("inside");
        assertThat(zk.exists("/")).isPresent();
    }

    @Test
    void closeFailsLaterCallsAsClosed() {
        zk.close();
        assertThat(zk.state()).isEqualTo(SessionState.CLOSED);
        assertThatThrownBy(() -> zk.getData("/"))
                .isInstanceOf(ZkException.Closed.class)
                .satisfies(e -> assertThat(((ZkException) e).isTerminal()).isTrue());
        zk.close(); // idempotent
        zk = ZkClient.builder(server.connectString() + chroot).build();
    }

    @Test
    void buildFailsClearlyWhenNoServerAnswers() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> ZkClient.builder("127.0.0.1:1")
                        .connectTimeout(Duration.ofSeconds(1))
                        .build())
                .isInstanceOf(ZkException.ConnectionLoss.class)
                .hasMessageContaining("127.0.0.1:1");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void createModesRoundTripThroughStat() {
        for (CreateMode mode : List.of(CreateMode.PERSISTENT, CreateMode.EPHEMERAL)) {
            Created c = zk.create("/mode-" + mode, null, new CreateOptions(mode, Acls.OPEN_UNSAFE, 0));
            assertThat(c.stat().ephemeralOwner() != 0).isEqualTo(mode.isEphemeral());
        }
    }
}
