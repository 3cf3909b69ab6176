package io.loomzk.recipes;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.Created;
import io.loomzk.client.SessionState;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.Stat;
import io.loomzk.testing.Sessions;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkProxy;
import io.loomzk.testing.ZkServer;
import io.loomzk.testing.ZkTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Protected creates whose replies are lost: the proxy forwards the create, the server applies it,
 * and the proxy drops the reply and cuts the connection.
 */
@ZkTest
@Timeout(240)
class ProtectedCreateIT {
    private static final int TRIALS = 1_000;

    private final List<ZkClient> clients = new ArrayList<>();
    private ZkProxy proxy;
    private ZkClient admin;

    @BeforeEach
    void setUp(ZkProxy proxy, @ZkConnectString String direct) {
        this.proxy = proxy;
        admin = track(ZkClient.builder(direct).build());
        admin.create("/pc", null);
    }

    @AfterEach
    void closeClients() {
        clients.forEach(ZkClient::close);
    }

    private ZkClient track(ZkClient c) {
        clients.add(c);
        return c;
    }

    private ZkClient viaProxy(Duration requestTimeout) {
        return track(ZkClient.builder(proxy.connectString())
                .sessionTimeout(Duration.ofSeconds(10))
                .requestTimeout(requestTimeout)
                .build());
    }

    private List<String> withId(String id) {
        return admin.getChildren("/pc").names().stream()
                .filter(n -> n.startsWith(Names.protectedPrefix(id)))
                .toList();
    }

    @Test
    void aThousandLostCreateRepliesEachEndWithExactlyOneNodeOfThisSession() throws Exception {
        ZkClient zk = viaProxy(Duration.ofSeconds(10));
        ProtectedCreate creates = ProtectedCreate.on(zk);
        long start = System.nanoTime();
        for (int i = 0; i < TRIALS; i++) {
            byte[] data = ("trial " + i).getBytes(UTF_8);
            ZkProxy.Trigger cut = proxy.cutAfterReplyTo(OpCode.CREATE2);
            Created created = creates.create("/pc/node-", data, CreateOptions.ephemeralSequential());

            assertThat(cut.hasFired())
                    .as("trial %d: the create's reply was dropped", i)
                    .isTrue();
            String name = Names.name(created.path());
            String id = ProtectedCreate.protectedId(name).orElseThrow();
            assertThat(withId(id)).as("trial %d", i).containsExactly(name);
            Stat stat = admin.exists(created.path()).orElseThrow();
            assertThat(stat.ephemeralOwner()).isEqualTo(zk.sessionId());
            assertThat(created.stat().ephemeralOwner()).isEqualTo(zk.sessionId());
            assertThat(created.stat().czxid()).isEqualTo(stat.czxid());
            assertThat(admin.getData(created.path()).data()).isEqualTo(data);
            zk.delete(created.path()); // keep the listing short
        }
        System.out.printf(
                "%d lost create replies settled in %d ms%n",
                TRIALS, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        assertThat(admin.getChildren("/pc").names()).isEmpty();
    }

    @Test
    void anExpiryBetweenCreateAndReplyNeverAdoptsANodeOfTheOldSession(ZkServer server) throws Exception {
        for (int i = 0; i < 10; i++) {
            ZkClient zk = viaProxy(Duration.ofSeconds(10));
            long session = zk.sessionId();
            byte[] password = zk.sessionPassword();
            proxy.refuseNewConnections(); // once cut, the client cannot come back on its own
            ZkProxy.Trigger cut = proxy.cutAfterReplyTo(OpCode.CREATE2);
            CompletableFuture<Created> result = new CompletableFuture<>();
            Thread.ofVirtual().name("creator-" + i).start(() -> {
                try {
                    result.complete(
                            ProtectedCreate.on(zk).create("/pc/node-", null, CreateOptions.ephemeralSequential()));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            assertThat(cut.await(Duration.ofSeconds(10))).isTrue();
            List<String> applied = admin.getChildren("/pc").names();
            assertThat(applied).hasSize(1); // the server applied the create: the old session owns a node
            assertThat(admin.exists("/pc/" + applied.get(0)).orElseThrow().ephemeralOwner())
                    .isEqualTo(session);

            Sessions.expire(server.connectString(), session, password);
            proxy.resume();

            assertThatThrownBy(result::join)
                    .isInstanceOf(CompletionException.class)
                    .cause()
                    .isInstanceOf(ZkException.SessionExpired.class);
            assertThat(zk.awaitState(Duration.ofSeconds(5), SessionState.EXPIRED))
                    .isEqualTo(SessionState.EXPIRED);
            assertThat(admin.getChildren("/pc").names()).isEmpty();
            zk.close();
        }
    }

    @Test
    void aNodeWithItsIdOwnedByAnotherSessionIsNeverReturnedAndIsRemoved() {
        String id = UUID.randomUUID().toString();
        // an earlier session's node with the same id (as if it had not been cleaned up yet)
        ZkClient earlier = track(ZkClient.builder(proxy.connectString()).build());
        Created foreign =
                earlier.create("/pc/" + Names.protectedPrefix(id) + "node-", null, CreateOptions.ephemeralSequential());

        ZkClient zk = viaProxy(Duration.ofSeconds(10));
        ZkProxy.Trigger cut = proxy.cutAfterReplyTo(OpCode.CREATE2);
        Created created = ProtectedCreate.on(zk)
                .create("/pc/node-", null, CreateOptions.ephemeralSequential(), Deadlines.NONE, id);

        assertThat(cut.hasFired()).isTrue();
        assertThat(created.path()).isNotEqualTo(foreign.path());
        assertThat(created.stat().ephemeralOwner()).isEqualTo(zk.sessionId());
        assertThat(withId(id)).containsExactly(Names.name(created.path()));
    }

    @Test
    void aPersistentNodeWhoseReplyWasLostIsFoundAndReturned() {
        ZkClient zk = viaProxy(Duration.ofSeconds(10));
        ZkProxy.Trigger cut = proxy.cutAfterReplyTo(OpCode.CREATE2);
        Created created = ProtectedCreate.on(zk).create("/pc/config", "v1".getBytes(UTF_8), CreateOptions.persistent());
        assertThat(cut.hasFired()).isTrue();
        String name = Names.name(created.path());
        assertThat(name).startsWith("_c_").endsWith("-config");
        assertThat(withId(ProtectedCreate.protectedId(name).orElseThrow())).containsExactly(name);
        assertThat(admin.getData(created.path()).data()).isEqualTo("v1".getBytes(UTF_8));
    }

    @Test
    void missingParentsAreCreatedAsContainersOnRequest() {
        ZkClient zk = viaProxy(Duration.ofSeconds(10));
        assertThatThrownBy(() -> ProtectedCreate.on(zk).create("/a/b/node-", null, CreateOptions.ephemeralSequential()))
                .isInstanceOf(ZkException.NoNode.class);
        Created created = ProtectedCreate.on(zk)
                .creatingParentContainers()
                .create("/a/b/node-", null, CreateOptions.ephemeralSequential());
        assertThat(created.path()).startsWith("/a/b/_c_");
        assertThat(admin.exists("/a/b").orElseThrow().ephemeralOwner()).isZero();
    }

    @Test
    void whenTheRetryBudgetIsSpentNoNodeSurvives() throws Exception {
        ZkClient zk = viaProxy(Duration.ofMillis(500));
        proxy.refuseNewConnections();
        ZkProxy.Trigger cut = proxy.cutAfterReplyTo(OpCode.CREATE2);
        assertThatThrownBy(() -> ProtectedCreate.on(zk)
                        .withRetries(2)
                        .create("/pc/node-", null, CreateOptions.ephemeralSequential()))
                .isInstanceOf(ZkException.ConnectionLoss.class);
        assertThat(cut.hasFired()).isTrue();
        assertThat(admin.getChildren("/pc").names()).hasSize(1); // applied, and nobody could look yet

        proxy.resume(); // the session is still alive: the cleanup thread removes the node
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        while (!admin.getChildren("/pc").names().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(admin.getChildren("/pc").names()).isEmpty();
        assertThat(zk.state()).isEqualTo(SessionState.CONNECTED);
    }

    @Test
    void anInterruptedCreateLeavesNoNodeAndKeepsTheFlag() throws Exception {
        ZkClient zk = viaProxy(Duration.ofSeconds(10));
        proxy.delay(Duration.ofMillis(300)); // every frame waits: time to interrupt the create
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread creator = Thread.ofVirtual().name("creator").start(() -> {
            try {
                ProtectedCreate.on(zk).create("/pc/node-", null, CreateOptions.ephemeralSequential());
                outcome.complete(null);
            } catch (Throwable t) {
                outcome.complete(Thread.currentThread().isInterrupted() ? t : new AssertionError("flag cleared", t));
            }
        });
        Thread.sleep(100);
        creator.interrupt();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(ZkException.Interrupted.class);
        proxy.resume();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
        while (!admin.getChildren("/pc").names().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(admin.getChildren("/pc").names()).isEmpty();
    }
}
