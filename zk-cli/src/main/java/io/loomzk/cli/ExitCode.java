package io.loomzk.cli;

/**
 * The shell's exit codes, one per kind of failure, so scripts can branch without parsing
 * messages. The numbers are part of the command line's contract (see the README's "Shell").
 */
public enum ExitCode {
    /** The command did what it was asked. */
    OK(0),
    /** A comparison found a difference ({@code diff}), or a health check failed ({@code ruok}). */
    DIFFERENT(1),
    /** The command line was wrong: unknown command or option, missing argument, bad path or ACL. */
    USAGE(2),
    /** The node (or a parent needed to create it) does not exist. */
    NO_NODE(3),
    /** The node already exists (also: {@code restore} without {@code --force}). */
    NODE_EXISTS(4),
    /** The node's version is not the one given with {@code -v}. */
    BAD_VERSION(5),
    /** The ACL does not allow it, or the credentials were refused. */
    NO_AUTH(6),
    /** {@code delete} of a node that has children. */
    NOT_EMPTY(7),
    /** No server could be reached in time, the connection was lost, or the session expired. */
    CONNECTION(8),
    /** A local file could not be read or written, or is not a dump. */
    IO(9),
    /** Any other error the server returned. */
    SERVER(10),
    /** The command was interrupted (Ctrl-C). */
    INTERRUPTED(130);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    /** The process exit status. */
    public int code() {
        return code;
    }
}
