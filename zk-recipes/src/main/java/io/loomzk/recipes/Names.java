package io.loomzk.recipes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.ToIntFunction;

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
     * Where {@link #sortKey} of {@code name}'s tail from {@code from} begins: just after the last
     * {@code lockName} that starts at or after {@code from}, or {@code from} if there is none.
     */
    static int keyStart(String name, int from, String lockName) {
        int index = name.lastIndexOf(lockName);
        return index < from ? from : index + lockName.length();
    }

    /**
     * Queue order without allocating: by the sort key that {@code keyStart} locates (compared as
     * {@link String#compareTo} would compare the keys), then by the whole name. Sorting a listing
     * calls this n log n times, so it must not build the key strings.
     */
    static Comparator<String> queueOrder(ToIntFunction<String> keyStart) {
        return (a, b) -> {
            int ia = keyStart.applyAsInt(a);
            int ib = keyStart.applyAsInt(b);
            int la = a.length() - ia;
            int lb = b.length() - ib;
            for (int k = 0, n = Math.min(la, lb); k < n; k++) {
                char ca = a.charAt(ia + k);
                char cb = b.charAt(ib + k);
                if (ca != cb) {
                    return ca - cb;
                }
            }
            return la != lb ? la - lb : a.compareTo(b);
        };
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
        queue.sort(queueOrder(n -> keyStart(n, 0, lockName)));
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
