package io.loomzk.bench.load;

/**
 * The nodes a run uses, all under one root of its own ({@code /loomzk-bench-<random>}), so runs
 * against a shared ensemble do not collide and the root can be removed afterwards.
 *
 * @param root the run's root node
 * @param readPath the node getData reads (and the mix writes), holding {@code data}
 * @param writePath the node setData writes
 * @param createParent the parent of the create+delete workload's ephemeral sequential nodes
 * @param lockPath the lock recipe's node
 * @param data {@code --size} bytes
 */
record BenchTree(String root, String readPath, String writePath, String createParent, String lockPath, byte[] data) {
    static BenchTree under(String root, byte[] data) {
        return new BenchTree(root, root + "/data", root + "/written", root + "/created", root + "/lock", data);
    }

    /** The prefix of the create+delete workload's sequential nodes. */
    String createPrefix() {
        return createParent + "/n-";
    }
}
