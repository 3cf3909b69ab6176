package io.loomzk.bench.load;

/**
 * Where LoomZK's lock workload plugs in. It needs {@code io.loomzk.recipes.ZkMutex} (zk-recipes),
 * which has not landed yet; until then the lock workload runs Curator alone and says so.
 */
final class LoomzkLock {
    private LoomzkLock() {}

    static boolean available() {
        try {
            Class.forName("io.loomzk.recipes.ZkMutex", false, LoomzkLock.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
