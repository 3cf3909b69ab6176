package io.loomzk.client.internal;

/**
 * ZooKeeper path rules, checked before anything is sent, and chroot translation.
 *
 * <p>A path starts with {@code /}, has no empty segment ({@code //}), no {@code .} or {@code ..}
 * segment, does not end with {@code /} (except the root), and contains no control character, no
 * surrogate or private-use character, and none of U+FFF0..U+FFFF: the server's own rules.
 *
 * <p>A sequential create's path is checked with the sequence number the server appends, so its
 * last segment may be empty, {@code .} or {@code ..}.
 */
public final class Paths {
    private Paths() {}

    /**
     * Checks a path.
     *
     * @throws IllegalArgumentException naming the rule broken and the offending position
     */
    public static void validate(String path) {
        validate(path, false);
    }

    /**
     * Checks a path; for a sequential create the path is checked as the server will see it, with
     * the sequence number appended (as the official client checks it with a digit appended): so
     * its last segment may be empty (a trailing {@code /}), {@code .} or {@code ..}.
     *
     * @throws IllegalArgumentException naming the rule broken and the offending position
     */
    public static void validate(String path, boolean sequential) {
        if (path == null) {
            throw new IllegalArgumentException("path must not be null");
        }
        int n = path.length();
        if (n == 0) {
            throw new IllegalArgumentException("path must not be empty");
        }
        if (path.charAt(0) != '/') {
            throw new IllegalArgumentException("path must start with '/': \"" + printable(path) + "\"");
        }
        if (n == 1) {
            return;
        }
        if (path.charAt(n - 1) == '/' && !sequential) {
            throw new IllegalArgumentException("path must not end with '/': \"" + printable(path) + "\"");
        }
        int segmentStart = 1;
        for (int i = 1; i <= n; i++) {
            char c = i < n ? path.charAt(i) : '/';
            if (c == '/') {
                checkSegment(path, segmentStart, i, sequential && i == n);
                segmentStart = i + 1;
            } else if (isInvalid(c)) {
                throw new IllegalArgumentException("path has an invalid character U+" + String.format("%04X", (int) c)
                        + " at index " + i + ": \"" + printable(path) + "\"");
            }
        }
    }

    /**
     * @param trailingSequentialPrefix whether this is the last segment of a sequential path,
     *     which gets digits appended: never empty, never {@code .} or {@code ..} then
     */
    private static void checkSegment(String path, int from, int to, boolean trailingSequentialPrefix) {
        if (trailingSequentialPrefix) {
            return;
        }
        int length = to - from;
        if (length == 0) {
            throw new IllegalArgumentException(
                    "path has an empty segment ('//') at index " + from + ": \"" + printable(path) + "\"");
        }
        if ((length == 1 && path.charAt(from) == '.')
                || (length == 2 && path.charAt(from) == '.' && path.charAt(from + 1) == '.')) {
            throw new IllegalArgumentException("path has a relative segment ('" + path.substring(from, to)
                    + "') at index " + from + ": \"" + printable(path) + "\"");
        }
    }

    private static boolean isInvalid(char c) {
        return c == 0
                || c <= '\u001f'
                || (c >= '\u007f' && c <= '\u009f')
                || (c >= '\ud800' && c <= '\uf8ff')
                || c >= '\ufff0';
    }

    private static String printable(String path) {
        StringBuilder sb = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (isInvalid(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * The server's path for a client path under {@code chroot} ("" for none): the client's root
     * is the chroot node itself. Deletes and sequential creates map the root differently; see
     * {@link #toServerForDelete} and {@link #toServerForSequential}.
     */
    public static String toServer(String chroot, String path) {
        if (chroot.isEmpty()) {
            return path;
        }
        return path.length() == 1 ? chroot : chroot + path;
    }

    /**
     * The server's path for a delete. The client's root is sent as {@code /} even under a chroot:
     * the server refuses to delete {@code /} ({@code BadArguments}), so a client cannot delete its
     * own namespace, as a client without a chroot cannot delete the root.
     */
    public static String toServerForDelete(String chroot, String path) {
        return path.length() == 1 ? path : toServer(chroot, path);
    }

    /**
     * The server's path for a sequential create. The server appends the sequence number to the
     * path as sent, so the client's root becomes {@code <chroot>/} (its children get the number),
     * never {@code <chroot>} (which would name a sibling of the chroot, outside it).
     */
    public static String toServerForSequential(String chroot, String path) {
        return chroot + path;
    }

    /** The client's path for a server path under {@code chroot}; paths outside it come back unchanged. */
    public static String toClient(String chroot, String serverPath) {
        if (chroot.isEmpty() || serverPath == null || !serverPath.startsWith(chroot)) {
            return serverPath;
        }
        if (serverPath.length() == chroot.length()) {
            return "/";
        }
        return serverPath.charAt(chroot.length()) == '/' ? serverPath.substring(chroot.length()) : serverPath;
    }

    /** The parent of a path; the root's parent is null. */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        if (slash <= 0) {
            return path.length() > 1 ? "/" : null;
        }
        return path.substring(0, slash);
    }

    /** A child's path under {@code parent}. */
    public static String child(String parent, String name) {
        return parent.length() == 1 ? "/" + name : parent + "/" + name;
    }
}
