package io.loomzk.client;

import io.loomzk.protocol.CreateMode;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tree helpers of {@link ZkClient}, written with its public calls only: what an application
 * would write by hand, done once with the races handled. Stateless.
 */
final class TreeOps {
    private TreeOps() {}

    /** See {@link ZkClient#createWithParents}. */
    static Created createWithParents(ZkClient client, String path, byte[] data, CreateOptions options) {
        for (int attempt = 0; ; attempt++) {
            try {
                return client.create(path, data, options);
            } catch (ZkException.NoNode e) {
                if (!client.chrootExists()) {
                    throw new ZkException.NoNode(
                            path,
                            "cannot create " + path + ": this client's chroot " + client.chroot()
                                    + " does not exist (create it, or build the client with createChroot(true))");
                }
                if (attempt >= 3) {
                    throw e; // parents keep vanishing: someone deletes them as we create them
                }
                createAncestors(client, path, options.acl());
            }
        }
    }

    /**
     * Creates each ancestor of a path, root first, as a persistent node. Walks the path by index
     * and holds one ancestor at a time: a path thousands of levels deep must not keep all its
     * ancestors at once (their total length is quadratic).
     */
    private static void createAncestors(ZkClient client, String path, List<io.loomzk.protocol.ACL> acl) {
        CreateOptions parent = new CreateOptions(CreateMode.PERSISTENT, acl, 0);
        for (int slash = path.indexOf('/', 1); slash > 0; slash = path.indexOf('/', slash + 1)) {
            try {
                client.create(path.substring(0, slash), null, parent);
            } catch (ZkException.NodeExists e) {
                // there already, or created meanwhile: either way the next level can go on
            }
        }
    }

    /** See {@link ZkClient#deleteRecursive}. */
    static boolean deleteRecursive(ZkClient client, String path) {
        for (int attempt = 0; ; attempt++) {
            List<String> children;
            try {
                children = client.getChildren(path).names();
            } catch (ZkException.NoNode e) {
                return false;
            }
            for (String child : children) {
                deleteRecursive(client, child(path, child));
            }
            if (path.equals("/")) {
                return true;
            }
            try {
                client.delete(path, -1);
                return true;
            } catch (ZkException.NoNode e) {
                return false;
            } catch (ZkException.NotEmpty e) {
                if (attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    /** See {@link ZkClient#readTree}. */
    static Map<String, NodeData> readTree(ZkClient client, String path) {
        Map<String, NodeData> tree = new TreeMap<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(path);
        boolean root = true;
        while (!todo.isEmpty()) {
            String p = todo.poll();
            try {
                tree.put(p, client.getData(p));
                for (String child : client.getChildren(p).names()) {
                    todo.add(child(p, child));
                }
            } catch (ZkException.NoNode e) {
                if (root) {
                    throw e;
                }
            }
            root = false;
        }
        return Collections.unmodifiableMap(tree);
    }

    private static String child(String parent, String name) {
        return parent.equals("/") ? "/" + name : parent + "/" + name;
    }
}
