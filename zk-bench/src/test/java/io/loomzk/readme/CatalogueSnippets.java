package io.loomzk.readme;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.Op;
import io.loomzk.client.ZkClient;
import io.loomzk.recipes.DoubleBarrier;
import io.loomzk.recipes.Group;
import io.loomzk.recipes.LeaderElection;
import io.loomzk.recipes.LeaderTask;
import io.loomzk.recipes.PersistentNode;
import io.loomzk.recipes.SharedCounter;
import io.loomzk.recipes.ZkBarrier;
import io.loomzk.recipes.ZkQueue;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The README's examples for the coordination recipes (issue 18, part B), compiled. */
@SuppressWarnings({"unused", "StatementWithEmptyBody"})
final class CatalogueSnippets {
    private CatalogueSnippets() {}

    static void counter(ZkClient zk) {
        // readme:begin counter
        SharedCounter hits = SharedCounter.atomicLong(zk, "/stats/hits"); // Curator DistributedAtomicLong bytes
        long total = hits.addAndGet(1);
        SharedCounter.Versioned seen = hits.get(); // value, data version, zxid
        boolean won = hits.compareAndSet(seen, seen.value() * 2); // false if changed meanwhile
        SharedCounter slots = SharedCounter.sharedCount(zk, "/config/slots", 8); // Curator SharedCount bytes
        // readme:end counter
    }

    static void counterWatch(SharedCounter hits, SharedCounter.Versioned seen) throws InterruptedException {
        // readme:begin counter-watch
        Optional<SharedCounter.Versioned> next = hits.awaitChange(seen, Duration.ofSeconds(30));
        // readme:end counter-watch
    }

    static void barriers(ZkClient zk) throws InterruptedException {
        // readme:begin barrier
        ZkBarrier gate = ZkBarrier.of(zk, "/jobs/nightly/gate"); // Curator DistributedBarrier layout
        gate.set(); // coordinator
        boolean open = gate.await(Duration.ofMinutes(5)); // workers; false on timeout
        gate.remove(); // lets every waiter through

        DoubleBarrier round = DoubleBarrier.of(zk, "/jobs/reindex/round", 4); // Curator DistributedDoubleBarrier
        if (round.enter(Duration.ofMinutes(1))) { // false: fewer than 4 came in time
            try {
                reindexMyShard();
            } finally {
                round.leave(Duration.ofMinutes(1)); // false: someone is still inside
            }
        }
        // readme:end barrier
    }

    static void queue(ZkClient zk, byte[] message) throws InterruptedException {
        // readme:begin queue
        ZkQueue queue = ZkQueue.of(zk, "/queues/emails").withConsumerId("host-a");
        queue.offer(message);

        Optional<byte[]> atMostOnce = queue.take(Duration.ofSeconds(30)); // Curator SimpleDistributedQueue protocol

        Optional<ZkQueue.Delivery> next = queue.claim(Duration.ofSeconds(30));
        if (next.isPresent()) {
            try (ZkQueue.Delivery d = next.get()) { // close() without ack: handed out again
                send(d.data());
                boolean mine = d.ack(List.of( // writes applied with the ack, once
                        Op.create("/sent/" + d.item(), null, CreateOptions.persistent())));
            }
        }
        // readme:end queue
    }

    static void group(ZkClient zk, byte[] address) throws InterruptedException {
        // readme:begin group
        Group workers = Group.of(zk, "/services/indexer/members"); // Curator GroupMember layout
        try (Group.Member me = workers.join("host-a", address)) { // ephemeral, re-created until closed
            Map<String, byte[]> now = workers.members();
            Group.Changes changes = workers.changes();
            Optional<Group.Change> change = changes.next(Duration.ofSeconds(30)); // JOINED or LEFT
        }
        // readme:end group
    }

    static void persistentNode(ZkClient zk, byte[] address) throws InterruptedException {
        // readme:begin persistent-node
        try (PersistentNode node = PersistentNode.ephemeral(zk, "/services/api/host-a", address)
                .startingNewSessions() // or leave that to the application
                .start()) {
            node.awaitCreated(Duration.ofSeconds(10));
            serve();
        } // close() deletes it
        PersistentNode marker = PersistentNode.ttl(zk, "/markers/host-a", address, Duration.ofMinutes(1))
                .start();
        // readme:end persistent-node
    }

    static void leaderTask(ZkClient zk) {
        // readme:begin leader-task
        LeaderElection election = LeaderElection.of(zk, "/services/scheduler/leader", "host-a");
        try (LeaderTask scheduler = LeaderTask.start(election, leadership -> {
            while (leadership.isValid()) {
                runDueJobs(leadership.fencingToken());
                Thread.sleep(1_000); // interrupted when leadership ends
            }
        })) {
            awaitShutdown();
        }
        // readme:end leader-task
    }

    private static void reindexMyShard() {}

    private static void send(byte[] data) {}

    private static void serve() {}

    private static void runDueJobs(long token) {}

    private static void awaitShutdown() {}
}
