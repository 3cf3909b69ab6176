package io.loomzk.readme;

import io.loomzk.client.ZkClient;
import io.loomzk.recipes.CacheEvent;
import io.loomzk.recipes.CachedNode;
import io.loomzk.recipes.ChildrenWatcher;
import io.loomzk.recipes.NodeWatcher;
import io.loomzk.recipes.TreeCache;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** The README's "Caches" snippets, compiled (never run). */
@SuppressWarnings({"unused", "InfiniteLoopStatement"})
final class CacheSnippets {
    private CacheSnippets() {}

    record Config(String text) {
        static Config parse(byte[] bytes) {
            return new Config(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    record Limits(byte[] raw) {
        static Limits parse(byte[] bytes) {
            return new Limits(bytes);
        }
    }

    static void apply(String path, byte[] value) {}

    static void remove(String path) {}

    static void reload(Map<String, CachedNode<byte[]>> tree) {}

    static void treeCache(ZkClient zk) throws InterruptedException {
        // readme:begin cache-tree
        try (TreeCache<byte[]> cache =
                TreeCache.builder(zk, "/config").rebuildOnExpiry(true).build()) {
            cache.start(); // returns at once
            if (!cache.awaitInitialized(Duration.ofSeconds(10))) {
                throw new IllegalStateException("configuration not loaded");
            }
            byte[] limits = cache.get("/config/limits").map(CachedNode::value).orElse(null);
            List<String> features = cache.children("/config/features");
            Map<String, CachedNode<byte[]>> all = cache.snapshot(); // immutable, one moment
            while (true) {
                CacheEvent<byte[]> e = cache.next(); // blocks this (consumer) thread
                switch (e.type()) {
                    case CREATED, CHANGED -> apply(e.path(), e.newNode().value());
                    case DELETED -> remove(e.path());
                    case OVERFLOW -> reload(e.snapshot()); // fell behind: go on from this tree
                    case INITIALIZED -> {}
                }
            }
        }
        // readme:end cache-tree
    }

    static void options(ZkClient zk) {
        // readme:begin cache-options
        TreeCache<Config> services = TreeCache.builder(zk, "/services")
                .maxDepth(2) // /services/<name>/<instance>
                .filter(path -> !path.endsWith("/locks")) // prunes that subtree too
                .decoder(Config::parse) // once per read, not per get
                .backlog(10_000, 16L << 20) // events and bytes
                .build();
        TreeCache<byte[]> queue = TreeCache.builder(zk, "/queue").statOnly().build();
        // readme:end cache-options
    }

    static void watchers(ZkClient zk, AtomicReference<Limits> limits, AtomicReference<List<String>> roster) {
        // readme:begin cache-watchers
        NodeWatcher watcher = NodeWatcher.start(zk, "/config/limits", data -> {
            data.ifPresent(d -> limits.set(Limits.parse(d.data()))); // empty while absent
            return true; // false stops it
        });
        ChildrenWatcher members = ChildrenWatcher.start(zk, "/members", names -> {
            roster.set(names); // sorted
            return true;
        });
        watcher.close();
        members.close();
        // readme:end cache-watchers
    }
}
