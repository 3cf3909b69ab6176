package io.loomzk.cli;

import io.loomzk.client.Children;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import java.util.ArrayList;
import java.util.List;

/** Depth-first walks of a subtree with one {@code getChildren} per node (it carries the stat). */
final class Walk {
    /** The most nodes a walk visits, so a typo at {@code /} on a huge tree stays bounded. */
    static final int MAX_NODES = 1_000_000;

    private Walk() {}

    interface Visitor {
        void visit(String path, Children children, int depth);
    }

    /**
     * Visits {@code root} and its descendants down to {@code maxDepth} (0 = the root only), parents
     * before children, children in name order. A node deleted during the walk is skipped; a
     * missing root is {@link ZkException.NoNode}.
     */
    static void preorder(ZkClient zk, String root, int maxDepth, Visitor visitor) {
        int[] visited = {0};
        visit(zk, root, 0, maxDepth, visitor, visited);
    }

    private static void visit(ZkClient zk, String path, int depth, int maxDepth, Visitor visitor, int[] visited) {
        Children children;
        try {
            children = zk.getChildren(path);
        } catch (ZkException.NoNode e) {
            if (depth == 0) {
                throw e;
            }
            return;
        }
        if (++visited[0] > MAX_NODES) {
            throw new CliException(ExitCode.USAGE, "subtree has more than " + MAX_NODES + " nodes; pick a smaller one");
        }
        visitor.visit(path, children, depth);
        if (depth >= maxDepth) {
            return;
        }
        List<String> names = new ArrayList<>(children.names());
        names.sort(null);
        for (String name : names) {
            visit(zk, child(path, name), depth + 1, maxDepth, visitor, visited);
        }
    }

    static String child(String parent, String name) {
        return parent.equals("/") ? "/" + name : parent + "/" + name;
    }

    /** {@code path} relative to {@code root}: {@code ""} for the root itself, else {@code /a/b}. */
    static String relative(String root, String path) {
        if (root.equals("/")) {
            return path.equals("/") ? "" : path;
        }
        return path.substring(root.length());
    }

    static String absolute(String root, String relative) {
        if (relative.isEmpty()) {
            return root;
        }
        return root.equals("/") ? relative : root + relative;
    }
}
