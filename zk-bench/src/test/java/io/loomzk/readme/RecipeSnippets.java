package io.loomzk.readme;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.Created;
import io.loomzk.client.Op;
import io.loomzk.client.ZkClient;
import io.loomzk.recipes.LeaderElection;
import io.loomzk.recipes.Leadership;
import io.loomzk.recipes.LeaseLoss;
import io.loomzk.recipes.LockLease;
import io.loomzk.recipes.ProtectedCreate;
import io.loomzk.recipes.ZkMutex;
import java.util.List;

/** The README's recipe examples, compiled. */
@SuppressWarnings("unused")
abstract class RecipeSnippets {
    record Order(long id) {}

    interface Store {
        void write(Order order, long fencingToken);
    }

    ZkClient zk;
    Store store;
    volatile boolean running;

    abstract void startLeading(long fencingToken);

    abstract void stopLeading(LeaseLoss why);

    void lock(List<Order> batch, byte[] lastId) throws InterruptedException {
        // readme:begin lock
        ZkMutex mutex = ZkMutex.of(zk, "/locks/orders");          // parents are created as containers
        try (LockLease lease = mutex.acquire()) {                  // or tryAcquire(Duration) -> Optional
            for (Order order : batch) {
                if (!lease.isValid()) break;                       // see the rule below
                store.write(order, lease.fencingToken());          // the store rejects older tokens
            }
            lease.guardedMulti(Op.setData("/orders/last", lastId, -1)); // only while the lock holds
        }                                                          // close(): from any thread, idempotent
        // readme:end lock
    }

    void election() throws InterruptedException {
        // readme:begin election
        LeaderElection election = LeaderElection.of(zk, "/services/indexer", "host-a:8080");
        while (running) {
            try (Leadership leadership = election.awaitLeadership()) {
                startLeading(leadership.fencingToken());
                LeaseLoss why = leadership.awaitLoss();            // blocks until it ends
                stopLeading(why);
            }                                                      // close() hands over at once
        }
        election.leader();                                         // observers: the leader's id and node
        election.participants();                                   // everyone, in line order
        // readme:end election
    }

    Created protectedCreate(byte[] data) {
        // readme:begin protected-create
        Created node = ProtectedCreate.on(zk).creatingParentContainers()
                .create("/workers/worker-", data, CreateOptions.ephemeralSequential());
        // readme:end protected-create
        return node;
    }
}
