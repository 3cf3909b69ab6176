package io.loomzk.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.client.SessionState;
import io.loomzk.client.ZkClient;
import io.loomzk.protocol.Stat;
import io.loomzk.testing.Sessions;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkServer;
import io.loomzk.testing.ZkTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.curator.framework.recipes.nodes.GroupMember;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link PersistentNode} and {@link Group} on real servers, with Curator's GroupMember and session expiry. */
@ZkTest(failOnPinning = false) // Curator's code runs here too; ManyThreadsIT judges pinning
@Timeout(120)
class MembershipIT {
    private TestFleet fleet;
    private ZkServer server;

    @BeforeEach
    void setUp(ZkServer server, @ZkConnectString String connectString) {
        this.server = server;
        fleet = new TestFleet(connectString);
    }

    @AfterEach
    void tearDown() {
        fleet.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void malformedArgumentsAreRejectedBeforeAnythingIsSent() {
        ZkClient zk = fleet.loom();
        assertThatThrownBy(() -> DoubleBarrier.of(zk, "/b", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ZkQueue.of(zk, "queue")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ZkBarrier.of(zk, "/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SharedCounter.atomicLong(zk, "/a//b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Group.of(zk, "/g").join("a/b", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Group.of(zk, "/g").join("..", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PersistentNode.ttl(zk, "/t", null, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(zk.getChildren("/").names()).isEmpty();
    }

    @Test
    void anEphemeralNodeComesBackWithItsDataAfterDeletionAndSessionExpiryUntilClosed() throws Exception {
        ZkClient owner = fleet.loom();
        ZkClient other = fleet.loom();
        try (PersistentNode node = PersistentNode.ephemeral(owner, "/services/api/host-a", bytes("v1"))
                .startingNewSessions()
                .start()) {
            assertThat(node.awaitCreated(Duration.ofSeconds(10))).isTrue();
            Stat first = node.current().orElseThrow();
            assertThat(first.ephemeralOwner()).isEqualTo(owner.sessionId());

            other.delete("/services/api/host-a");
            TestFleet.eventually(() -> other.exists("/services/api/host-a")
                    .map(s -> s.czxid() > first.czxid())
                    .orElse(false));
            assertThat(other.getData("/services/api/host-a").data()).isEqualTo(bytes("v1"));

            node.setData(bytes("v2"));
            long oldSession = owner.sessionId();
            Sessions.expire(server.connectString(), owner.sessionId(), owner.sessionPassword());
            TestFleet.eventually(() -> other.exists("/services/api/host-a")
                    .map(s -> s.ephemeralOwner() != oldSession)
                    .orElse(false));
            assertThat(owner.sessionId()).isNotEqualTo(oldSession);
            assertThat(other.exists("/services/api/host-a").orElseThrow().ephemeralOwner())
                    .isEqualTo(owner.sessionId());
            assertThat(other.getData("/services/api/host-a").data()).isEqualTo(bytes("v2"));
        }
        assertThat(other.exists("/services/api/host-a")).isEmpty();
        Thread.sleep(300);
        assertThat(other.exists("/services/api/host-a"))
                .as("not re-created after close")
                .isEmpty();
    }

    @Test
    void aTtlNodeIsTouchedBeforeItsTtlAndReCreatedWhenDeleted() throws Exception {
        System.setProperty("znode.container.checkIntervalMs", "100"); // read when a server starts
        try (ZkServer ttlServer = ZkServer.builder()
                        .property("extendedTypesEnabled", "true")
                        .start();
                TestFleet ttlFleet = new TestFleet(ttlServer.connectString())) {
            ZkClient owner = ttlFleet.loom();
            ZkClient other = ttlFleet.loom();
            try (PersistentNode node = PersistentNode.ttl(owner, "/ttl/marker", bytes("m"), Duration.ofMillis(1500))
                    .start()) {
                assertThat(node.awaitCreated(Duration.ofSeconds(10))).isTrue();
                long czxid = node.current().orElseThrow().czxid();
                Thread.sleep(4_500); // three TTLs: kept alive by touches
                assertThat(other.exists("/ttl/marker").map(Stat::czxid)).hasValue(czxid);
                other.delete("/ttl/marker");
                TestFleet.eventually(() -> other.exists("/ttl/marker").isPresent());
                assertThat(other.getData("/ttl/marker").data()).isEqualTo(bytes("m"));
            }
            assertThat(other.exists("/ttl/marker")).isEmpty();
        }
    }

    @Test
    void loomZkAndCuratorMembersSeeEachOtherAndChangesReportJoinsAndLeaves() throws Exception {
        String path = "/groups/workers";
        Group group = Group.of(fleet.loom(), path);
        Group.Changes changes = group.changes();
        assertThat(changes.next(Duration.ofMillis(200))).isEmpty();

        ZkClient a = fleet.loom();
        Group.Member loomMember = Group.of(a, path).join("loom-a", bytes("10.0.0.1"));
        assertThat(loomMember.awaitJoined(Duration.ofSeconds(10))).isTrue();
        Group.Change joined = changes.next(Duration.ofSeconds(10)).orElseThrow();
        assertThat(joined.kind()).isEqualTo(Group.Kind.JOINED);
        assertThat(joined.memberId()).isEqualTo("loom-a");
        assertThat(joined.data()).isEqualTo(bytes("10.0.0.1"));

        GroupMember curatorMember = new GroupMember(fleet.curator(), path, "curator-b", bytes("10.0.0.2"));
        curatorMember.start();
        try {
            Group.Change curatorJoined = changes.next(Duration.ofSeconds(10)).orElseThrow();
            assertThat(curatorJoined.memberId()).isEqualTo("curator-b");
            assertThat(curatorJoined.kind()).isEqualTo(Group.Kind.JOINED);
            Map<String, byte[]> members = group.members();
            assertThat(members).containsOnlyKeys("loom-a", "curator-b");
            assertThat(members.get("curator-b")).isEqualTo(bytes("10.0.0.2"));
            TestFleet.eventually(() -> curatorMember.getCurrentMembers().containsKey("loom-a"));
            assertThat(curatorMember.getCurrentMembers().get("loom-a")).isEqualTo(bytes("10.0.0.1"));

            // expiry: the member's node goes and comes back in the application's next session
            Sessions.expire(server.connectString(), a.sessionId(), a.sessionPassword());
            List<Group.Change> seen = new ArrayList<>();
            seen.add(changes.next(Duration.ofSeconds(10)).orElseThrow());
            // the node's deletion can reach the group's watch before `a` hears of its own expiry
            a.awaitState(Duration.ofSeconds(30), SessionState.EXPIRED);
            a.startNewSession();
            Optional<Group.Change> back = changes.next(Duration.ofSeconds(10));
            back.ifPresent(seen::add);
            assertThat(seen).extracting(Group.Change::kind).containsExactly(Group.Kind.LEFT, Group.Kind.JOINED);
            assertThat(seen).extracting(Group.Change::memberId).containsOnly("loom-a");
            assertThat(loomMember.awaitJoined(Duration.ofSeconds(10))).isTrue();

            loomMember.close();
            Group.Change left = changes.next(Duration.ofSeconds(10)).orElseThrow();
            assertThat(left.kind()).isEqualTo(Group.Kind.LEFT);
            assertThat(left.memberId()).isEqualTo("loom-a");
        } finally {
            curatorMember.close();
        }
        Group.Change curatorLeft = changes.next(Duration.ofSeconds(10)).orElseThrow();
        assertThat(curatorLeft.memberId()).isEqualTo("curator-b");
        assertThat(group.members()).isEmpty();
    }
}
