package io.loomzk.readme;

import io.loomzk.client.ZkClient;
import io.loomzk.recipes.LeaderElection;
import io.loomzk.recipes.LeasePolicy;
import io.loomzk.recipes.LockLease;
import io.loomzk.recipes.SemaphoreLease;
import io.loomzk.recipes.ZkMutex;
import io.loomzk.recipes.ZkReadWriteLock;
import io.loomzk.recipes.ZkSemaphore;

/** The README's read/write lock, semaphore and lease policy examples, compiled. */
@SuppressWarnings("unused")
final class GrantRecipeSnippets {
    interface Store {
        void write(String entry, long fencingToken);
    }

    private GrantRecipeSnippets() {}

    static void render(LockLease lease) {}

    static void runExport(SemaphoreLease lease) {}

    static void readWriteLock(ZkClient zk, Store store, String entry) throws InterruptedException {
        // readme:begin rwlock
        ZkReadWriteLock catalogue = ZkReadWriteLock.of(zk, "/locks/catalogue");
        try (LockLease read = catalogue.readLock().acquire()) { // shared with other readers
            render(read);
        }
        try (LockLease write = catalogue.writeLock().acquire()) { // alone: no reader, no other writer
            store.write(entry, write.fencingToken());
        }
        // readme:end rwlock
    }

    static void semaphore(ZkClient zk) throws InterruptedException {
        // readme:begin semaphore
        ZkSemaphore exports = ZkSemaphore.of(zk, "/semaphores/exports", 8); // unless the node holds another limit
        try (SemaphoreLease lease = exports.acquire()) { // or tryAcquire(Duration) -> Optional
            runExport(lease); // checks lease.isValid() as it goes
        }
        exports.setMaxLeases(12); // for every process, LoomZK or Curator
        // readme:end semaphore
    }

    static void strictPolicy(ZkClient zk) {
        // readme:begin lease-policy
        ZkMutex payments = ZkMutex.builder(zk, "/locks/payments")
                .leasePolicy(LeasePolicy.STRICT) // invalid at the first disconnection
                .build();
        LeaderElection election = LeaderElection.of(zk, "/services/billing", "host-a", LeasePolicy.STRICT);
        // readme:end lease-policy
    }
}
