package io.loomzk.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.Created;
import io.loomzk.client.ZkClient;
import io.loomzk.protocol.OpCode;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkProxy;
import io.loomzk.testing.ZkTest;
import io.loomzk.testing.ZkVersion;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The recipes on the oldest server line the client supports: nothing they send is newer than 3.5.
 * Pinning is judged by {@link ManyThreadsIT} (after a warm-up); here, first-time class loading on
 * the client's reader thread would show up as short pins.
 */
@ZkTest(version = ZkVersion.V3_5, childProcess = true, failOnPinning = false)
@Timeout(90)
class OlderServerIT {

    @Test
    void lockElectionAndProtectedCreateWorkOnZooKeeper35(@ZkConnectString String connectString, ZkProxy proxy)
            throws Exception {
        try (ZkClient a = ZkClient.builder(connectString).build();
                ZkClient b = ZkClient.builder(proxy.connectString()).build()) {
            LockLease held = ZkMutex.of(a, "/lock").acquire();
            ZkMutex other = ZkMutex.of(b, "/lock");
            assertThat(other.tryAcquire(Duration.ofMillis(200))).isEmpty();
            held.close();
            try (LockLease next = other.tryAcquire(Duration.ofSeconds(5)).orElseThrow()) {
                assertThat(next.isValid()).isTrue();
                assertThat(next.fencingToken()).isGreaterThan(held.fencingToken());
            }

            LeaderElection first = LeaderElection.of(a, "/election", "a");
            LeaderElection second = LeaderElection.of(b, "/election", "b");
            Leadership leads = first.awaitLeadership();
            CompletableFuture<Leadership> next = new CompletableFuture<>();
            Thread.ofVirtual().name("stand-b").start(() -> {
                try {
                    next.complete(second.awaitLeadership());
                } catch (Throwable t) {
                    next.completeExceptionally(t);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (second.participants().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(second.participants()).extracting(Participant::id).containsExactly("a", "b");
            assertThat(second.leader().orElseThrow().id()).isEqualTo("a");
            leads.close();
            next.get(5, TimeUnit.SECONDS).close();

            ZkProxy.Trigger cut = proxy.cutAfterReplyTo(OpCode.CREATE2);
            Created created = ProtectedCreate.on(b)
                    .creatingParentContainers()
                    .create("/pc/node-", null, CreateOptions.ephemeralSequential());
            assertThat(cut.hasFired()).isTrue();
            assertThat(a.getChildren("/pc").names()).containsExactly(Names.name(created.path()));
            assertThat(a.exists(created.path()).orElseThrow().ephemeralOwner()).isEqualTo(b.sessionId());
        }
    }
}
