package io.loomzk.recipes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Node names exactly as Apache Curator writes and orders them, so LoomZK and Curator clients can
 * share a lock or an election: protected names are {@code _c_<uuid>-<name>}, and contenders are
 * ordered by what follows the last {@code lock-} (or {@code latch-}) in their name, which is the
 * server's ten-digit sequence number.
 */
final class Names {
    static final String PROTECTED_PREFIX = "_c_";
    /** {@code _c_} + a 36-character UUID + {@code -}. */
    static final int PROTECTED_PREFIX_LENGTH = PROTECTED_PREFIX.length() + 36 + 1;

    private Names() {}

    /** {@code _c_<id>-}: what every node created under this protected id starts with. */
    static String protectedPrefix(String id) {
        return PROTECTED_PREFIX + id + '-';
    }

    /** Whether a node name carries a protected prefix (Curator's {@code isProtectedZNode}). */
    static boolean isProtected(String name) {
        return name.length() > PROTECTED_PREFIX_LENGTH
                && name.startsWith(PROTECTED_PREFIX)
                && name.charAt(PROTECTED_PREFIX_LENGTH - 1) == '-';
    }

    /** The protected id in a node name, if it has one. */
    static Optional<String> protectedId(String name) {
        return isProtected(name)
                ? Optional.of(name.substring(PROTECTED_PREFIX.length(), PROTECTED_PREFIX_LENGTH - 1))
                : Optional.empty();
    }

    /** The parent of an absolute path ({@code /} for a top-level node). */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** The last segment of an absolute path. */
    static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** A child path. */
    static String child(String parent, String name) {
        return parent.equals("/") ? "/" + name : parent + "/" + name;
    }

    /**
     * Curator's sort key ({@code StandardLockInternalsDriver.standardFixForSorting}): what follows
     * the last occurrence of {@code lockName}, or the whole name if it does not occur.
     */
    static String sortKey(String name, String lockName) {
        int index = name.lastIndexOf(lockName);
        return index < 0 ? name : name.substring(index + lockName.length());
    }

    /**
     * The children that are contenders of a {@code lockName} queue, in queue order. Children
     * without {@code lockName} in their name are not contenders and are left out (Curator counts
     * them; leaving them out never lets two holders in, since the relative order of real
     * contenders is the same).
     */
    static List<String> contenders(List<String> children, String lockName) {
        List<String> queue = new ArrayList<>(children.size());
        for (String child : children) {
            if (child.contains(lockName)) {
                queue.add(child);
            }
        }
        queue.sort(Comparator.comparing((String n) -> sortKey(n, lockName)).thenComparing(Comparator.naturalOrder()));
        return queue;
    }

    /**
     * Checks a recipe's path: absolute, not the root, no trailing or doubled slash. The client
     * checks the rest (characters, relative segments) on the first call.
     */
    static String checkRecipePath(String path) {
        if (path == null) {
            throw new IllegalArgumentException("path must not be null");
        }
        if (!path.startsWith("/") || path.length() < 2 || path.endsWith("/") || path.contains("//")) {
            throw new IllegalArgumentException(
                    "a recipe path is absolute, not the root, with no empty segment: \"" + path + "\"");
        }
        return path;
    }
}
