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
    /** One acquire and release of a shared read/write lock: the read side 90% of the time. */
    RWLOCK("rwlock"),
    /** One acquire and release of a lease of a shared semaphore of 8. */
    SEMAPHORE("semaphore"),
    /**
     * Not an op: LoomZK's TreeCache beside Curator's CuratorCache (load time, heap per node,
     * propagation), run by {@link CacheMode}.
     */
    CACHE("cache");

    /** The semaphore workload's limit. */
    static final int SEMAPHORE_LEASES = 8;

    final String label;

    Workload(String label) {
        this.label = label;
    }

    /** Whether this runs a recipe (Curator's or LoomZK's), which the plain clients do not have. */
    boolean isRecipe() {
        return this == LOCK || this == RWLOCK || this == SEMAPHORE;
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
            case "read-write-lock", "readwritelock" -> RWLOCK;
            case "sem" -> SEMAPHORE;
            default ->
                throw new IllegalArgumentException("unknown workload '" + s
                        + "' (getData, setData, create-delete, mix, lock, rwlock, semaphore, cache)");
        };
    }
}
