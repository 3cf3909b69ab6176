package io.loomzk.bench.load;

import java.util.Locale;

/** What each caller does, over and over; one op is one line of this list. */
enum Workload {
    /** One getData of a node holding {@code --size} bytes. */
    GET_DATA("getData"),
    /** One setData of {@code --size} bytes, any version. */
    SET_DATA("setData"),
    /** One create of an ephemeral sequential node with {@code --size} bytes, then its delete. */
    CREATE_DELETE("create-delete"),
    /** 90% getData, 10% setData, of the same node. */
    MIX("mix"),
    /** One acquire and release of a shared lock (ZooKeeper's lock recipe). */
    LOCK("lock"),
    /**
     * Not an op: LoomZK's TreeCache beside Curator's CuratorCache (load time, heap per node,
     * propagation), run by {@link CacheMode}.
     */
    CACHE("cache");

    final String label;

    Workload(String label) {
        this.label = label;
    }

    static Workload parse(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT).replace("_", "-");
        for (Workload w : values()) {
            if (w.label.toLowerCase(Locale.ROOT).equals(k)) {
                return w;
            }
        }
        return switch (k) {
            case "get", "read" -> GET_DATA;
            case "set", "write" -> SET_DATA;
            case "create", "createdelete", "create+delete" -> CREATE_DELETE;
            case "90/10", "readwrite", "read-write" -> MIX;
            case "mutex" -> LOCK;
            default ->
                throw new IllegalArgumentException(
                        "unknown workload '" + s + "' (getData, setData, create-delete, mix, lock, cache)");
        };
    }
}
