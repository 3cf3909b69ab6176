package io.loomzk.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.client.ZkClient;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@ZkTest
@Timeout(60)
class LeaderElectionIT {
    private String connectString;
    private final List<ZkClient> clients = new ArrayList<>();
    private String path;
    private ZkClient admin;

    @BeforeEach
    void setUp(@ZkConnectString String connectString) {
        this.connectString = connectString;
        admin = client();
        path = "/elections/election";
    }

    @AfterEach
    void closeClients() {
        clients.forEach(ZkClient::close);
    }

    private ZkClient client() {
        ZkClient c = ZkClient.builder(connectString)
                .sessionTimeout(Duration.ofSeconds(6))
                .build();
        clients.add(c);
        return c;
    }

    private LeaderElection participant(String id) {
        return LeaderElection.of(client(), path, id);
    }

    @Test
    void theFirstToStandLeadsAndCloseHandsOverAtOnce() throws Exception {
        LeaderElection a = participant("a");
        LeaderElection b = participant("b");
        LeaderElection c = participant("c");
        Leadership aLeads = a.awaitLeadership();
        Future<Leadership> bLeads = standAsync(b);
        awaitParticipants(2);
        Future<Leadership> cLeads = standAsync(c);
        awaitParticipants(3);

        LeaderElection observer = LeaderElection.of(admin, path, "observer");
        assertThat(observer.leader().orElseThrow().id()).isEqualTo("a");
        assertThat(observer.participants()).extracting(Participant::id).containsExactly("a", "b", "c");
        assertThat(observer.participants()).extracting(Participant::isLeader).containsExactly(true, false, false);
        assertThat(observer.participants().get(0).node()).isEqualTo(aLeads.node());
        assertThat(Names.name(aLeads.node())).matches("_c_[0-9a-f-]{36}-latch-\\d{10}");

        long start = System.nanoTime();
        aLeads.close();
        Leadership next = bLeads.get(5, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(next.isValid()).isTrue();
        assertThat(next.participantId()).isEqualTo("b");
        assertThat(next.fencingToken()).isGreaterThan(aLeads.fencingToken());
        assertThat(aLeads.isValid()).isFalse();
        assertThat(observer.leader().orElseThrow().id()).isEqualTo("b");
        assertThat(cLeads).isNotDone();
        next.close();
        cLeads.get(5, TimeUnit.SECONDS).close();
        assertThat(observer.participants()).isEmpty();
        assertThat(observer.leader()).isEmpty();
    }

    @Test
    void aParticipantStandsOnceAtATime() throws Exception {
        LeaderElection a = participant("a");
        Leadership leads = a.awaitLeadership();
        assertThatThrownBy(a::awaitLeadership).isInstanceOf(IllegalStateException.class);
        leads.close();
        try (Leadership again = a.awaitLeadership(Duration.ofSeconds(5)).orElseThrow()) {
            assertThat(again.isValid()).isTrue();
        }
    }

    @Test
    void timedOutOrInterruptedStandLeavesNoNode() throws Exception {
        LeaderElection a = participant("a");
        try (Leadership leads = a.awaitLeadership()) {
            LeaderElection b = participant("b");
            assertThat(b.awaitLeadership(Duration.ofMillis(300))).isEmpty();
            awaitParticipants(1);
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread standing = Thread.ofVirtual().name("standing-b").start(() -> {
                try {
                    b.awaitLeadership().close();
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            awaitParticipants(2);
            standing.interrupt();
            assertThat(standing.join(Duration.ofSeconds(5))).isTrue();
            assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
            awaitParticipants(1);
            assertThat(leads.isValid()).isTrue();
        }
    }

    @Test
    void leadershipIsLostWhenItsNodeIsDeleted() throws Exception {
        LeaderElection a = participant("a");
        LeaderElection b = participant("b");
        Leadership aLeads = a.awaitLeadership();
        Future<Leadership> bLeads = standAsync(b);
        awaitParticipants(2);
        admin.delete(aLeads.node());
        assertThat(aLeads.awaitLoss(Duration.ofSeconds(5))).contains(LeaseLoss.NODE_DELETED);
        assertThat(bLeads.get(5, TimeUnit.SECONDS).isValid()).isTrue();
        aLeads.close();
        // after a loss, the participant may stand again
        assertThat(a.awaitLeadership(Duration.ofMillis(200))).isEmpty();
    }

    private Future<Leadership> standAsync(LeaderElection e) {
        CompletableFuture<Leadership> f = new CompletableFuture<>();
        Thread.ofVirtual().name("stand-" + e.participantId()).start(() -> {
            try {
                f.complete(e.awaitLeadership());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    private void awaitParticipants(int n) throws InterruptedException {
        LeaderElection observer = LeaderElection.of(admin, path, "observer");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (observer.participants().size() != n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + n + " participants, have " + observer.participants());
            }
            Thread.sleep(10);
        }
    }
}
