package io.loomzk.client;

import io.loomzk.protocol.ErrorCode;
import io.loomzk.protocol.Frames;
import java.util.List;

/**
 * Every failure of a ZooKeeper call: one unchecked, sealed hierarchy, so callers can catch the
 * subtype they care about or switch on {@link #code()}.
 *
 * <p>Two questions every handler has are answered directly: {@link #mayHaveBeenApplied()} (a
 * write's outcome is unknown: check before retrying) and {@link #isTerminal()} (the session is
 * over: build a new client, or call {@link ZkClient#startNewSession()}). The exception is created
 * on the calling thread, so its stack trace shows the caller.
 */
public abstract sealed class ZkException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int rawCode;
    private final transient String path;
    private final boolean mayHaveBeenApplied;

    ZkException(int rawCode, String path, boolean mayHaveBeenApplied, String message, Throwable cause) {
        super(message, cause);
        this.rawCode = rawCode;
        this.path = path;
        this.mayHaveBeenApplied = mayHaveBeenApplied;
    }

    ZkException(int rawCode, String path, boolean mayHaveBeenApplied) {
        this(rawCode, path, mayHaveBeenApplied, describe(rawCode, path, mayHaveBeenApplied), null);
    }

    /**
     * The result code. Local conditions use the code ZooKeeper clients use for them:
     * {@link ErrorCode#CONNECTION_LOSS}, {@link ErrorCode#REQUEST_TIMEOUT},
     * {@link ErrorCode#SESSION_EXPIRED}; {@link Closed}, {@link Interrupted} and
     * {@link WatchOverflow} use {@link ErrorCode#API_ERROR}. An unknown server code is
     * {@link ErrorCode#UNKNOWN}; {@link #rawCode()} keeps its value.
     */
    public ErrorCode code() {
        return ErrorCode.of(rawCode);
    }

    /** The code as sent by the server (or as in {@link #code()} for local conditions). */
    public int rawCode() {
        return rawCode;
    }

    /** The caller's path (relative to the chroot) the call was about, or null if none. */
    public String path() {
        return path;
    }

    /**
     * True only when this was a write whose outcome is unknown: the request may have reached the
     * server and been applied, but the reply was lost (connection loss, timeout, interrupt after
     * sending). Check the node before retrying. False for every error the server replied with.
     */
    public boolean mayHaveBeenApplied() {
        return mayHaveBeenApplied;
    }

    /**
     * Whether the session is over: expired, closed, or failed authentication. No call on this
     * session can succeed any more.
     */
    public boolean isTerminal() {
        return false;
    }

    private static String describe(int code, String path, boolean mayHaveBeenApplied) {
        StringBuilder sb = new StringBuilder();
        sb.append(ErrorCode.of(code).description());
        if (ErrorCode.of(code) == ErrorCode.UNKNOWN) {
            sb.append(' ').append(code);
        }
        if (path != null) {
            sb.append(": ").append(path);
        }
        if (mayHaveBeenApplied) {
            sb.append(" (the server may have applied this write; check before retrying)");
        }
        return sb.toString();
    }

    /**
     * The exception for a server result code.
     *
     * @param code a non-zero code from a reply
     * @param path the caller's path, or null
     */
    public static ZkException of(int code, String path) {
        return switch (ErrorCode.of(code)) {
            case NO_NODE -> new NoNode(path);
            case NODE_EXISTS -> new NodeExists(path);
            case BAD_VERSION -> new BadVersion(path);
            case NOT_EMPTY -> new NotEmpty(path);
            case NO_AUTH -> new NoAuth(path);
            case INVALID_ACL -> new InvalidAcl(path);
            case NO_CHILDREN_FOR_EPHEMERALS -> new NoChildrenForEphemerals(path);
            case SESSION_EXPIRED -> new SessionExpired(path, false);
            case SESSION_MOVED -> new SessionMoved(path);
            case AUTH_FAILED, SESSION_CLOSED_REQUIRE_SASL_AUTH -> new AuthFailed(code, path);
            case NOT_READ_ONLY -> new NotReadOnly(path);
            case UNIMPLEMENTED -> new Unimplemented(path, null);
            case CONNECTION_LOSS -> new ConnectionLoss(path, false, null, null);
            case REQUEST_TIMEOUT -> new RequestTimeout(path, false, null);
            default -> new Other(code, path);
        };
    }

    /** The node does not exist (or, for a create, its parent does not). */
    public static final class NoNode extends ZkException {
        private static final long serialVersionUID = 1L;

        public NoNode(String path) {
            super(ErrorCode.NO_NODE.code(), path, false);
        }

        /** A missing node with a message that says more, e.g. that the client's chroot is missing. */
        public NoNode(String path, String message) {
            super(ErrorCode.NO_NODE.code(), path, false, message, null);
        }
    }

    /** The node already exists. */
    public static final class NodeExists extends ZkException {
        private static final long serialVersionUID = 1L;

        public NodeExists(String path) {
            super(ErrorCode.NODE_EXISTS.code(), path, false);
        }
    }

    /** The node's version (or ACL version) was not the expected one: someone else changed it. */
    public static final class BadVersion extends ZkException {
        private static final long serialVersionUID = 1L;

        public BadVersion(String path) {
            super(ErrorCode.BAD_VERSION.code(), path, false);
        }
    }

    /** The node has children, so it cannot be deleted. */
    public static final class NotEmpty extends ZkException {
        private static final long serialVersionUID = 1L;

        public NotEmpty(String path) {
            super(ErrorCode.NOT_EMPTY.code(), path, false);
        }
    }

    /** The node's ACL does not allow this session to do that. */
    public static final class NoAuth extends ZkException {
        private static final long serialVersionUID = 1L;

        public NoAuth(String path) {
            super(ErrorCode.NO_AUTH.code(), path, false);
        }
    }

    /** The ACL is empty or malformed, or names an identity this session does not have. */
    public static final class InvalidAcl extends ZkException {
        private static final long serialVersionUID = 1L;

        public InvalidAcl(String path) {
            super(ErrorCode.INVALID_ACL.code(), path, false);
        }
    }

    /** Ephemeral nodes cannot have children. */
    public static final class NoChildrenForEphemerals extends ZkException {
        private static final long serialVersionUID = 1L;

        public NoChildrenForEphemerals(String path) {
            super(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS.code(), path, false);
        }
    }

    /**
     * The connection dropped before the reply came, or no connection was available within the
     * request timeout. The session may still be alive; the client is reconnecting. For a write,
     * {@link #mayHaveBeenApplied()} says whether the request had been sent.
     */
    public static final class ConnectionLoss extends ZkException {
        private static final long serialVersionUID = 1L;

        public ConnectionLoss(String path, boolean mayHaveBeenApplied, String detail, Throwable cause) {
            super(
                    ErrorCode.CONNECTION_LOSS.code(),
                    path,
                    mayHaveBeenApplied,
                    "connection loss" + (path == null ? "" : ": " + path) + (detail == null ? "" : " (" + detail + ")")
                            + (mayHaveBeenApplied
                                    ? "; the request was sent and may have been applied: check before retrying"
                                    : ""),
                    cause);
        }
    }

    /**
     * The server's reply was larger than this client reads ({@link ZkClientBuilder#maxFrameBytes}
     * plus {@value io.loomzk.protocol.Frames#REPLY_OVERHEAD_BYTES} bytes for a reply's header and
     * stat): typically a {@code multi} or {@code multiRead} of many or large results, or the
     * children of a node with very many. The reply was skipped unread; the connection and every
     * other call on it carry on. The server did answer, so a write may have been applied
     * ({@link #mayHaveBeenApplied()}): check before retrying. The code is
     * {@link ErrorCode#MARSHALLING_ERROR}.
     */
    public static final class ReplyTooLarge extends ZkException {
        private static final long serialVersionUID = 1L;

        private final int replyBytes;
        private final int limitBytes;

        public ReplyTooLarge(String path, boolean mayHaveBeenApplied, int replyBytes, int limitBytes) {
            super(
                    ErrorCode.MARSHALLING_ERROR.code(),
                    path,
                    mayHaveBeenApplied,
                    "reply of " + replyBytes + " bytes exceeds this client's limit of "
                            + limitBytes + " bytes (maxFrameBytes plus " + Frames.REPLY_OVERHEAD_BYTES
                            + " for a reply's header, length field and stat)"
                            + (path == null ? "" : ": " + path)
                            + "; the reply was skipped and the connection stays up"
                            + (mayHaveBeenApplied
                                    ? "; the server answered this write, so it may have been applied:"
                                            + " check before retrying"
                                    : ""),
                    null);
            this.replyBytes = replyBytes;
            this.limitBytes = limitBytes;
        }

        /** The reply's size in bytes, as its frame announced it. */
        public int replyBytes() {
            return replyBytes;
        }

        /** The largest reply this client reads, in bytes. */
        public int limitBytes() {
            return limitBytes;
        }
    }

    /** The reply did not come within the request timeout; the connection stays up. */
    public static final class RequestTimeout extends ZkException {
        private static final long serialVersionUID = 1L;

        public RequestTimeout(String path, boolean mayHaveBeenApplied, String detail) {
            super(
                    ErrorCode.REQUEST_TIMEOUT.code(),
                    path,
                    mayHaveBeenApplied,
                    "no reply within the request timeout" + (path == null ? "" : ": " + path)
                            + (detail == null ? "" : " (" + detail + ")")
                            + (mayHaveBeenApplied ? "; the request was sent and may have been applied" : ""),
                    null);
        }
    }

    /**
     * The session expired: the ensemble deleted its ephemeral nodes and dropped its watches.
     * Terminal: build a new client, or call {@link ZkClient#startNewSession()}, and re-create
     * what the old session owned.
     */
    public static final class SessionExpired extends ZkException {
        private static final long serialVersionUID = 1L;

        public SessionExpired(String path, boolean mayHaveBeenApplied) {
            super(ErrorCode.SESSION_EXPIRED.code(), path, mayHaveBeenApplied);
        }

        @Override
        public boolean isTerminal() {
            return true;
        }
    }

    /**
     * The server says the session now belongs to another connection (a reply from a server the
     * client already left, or another process took the session over). The client drops this
     * connection and reconnects; if the session was taken over and closed, it then expires.
     */
    public static final class SessionMoved extends ZkException {
        private static final long serialVersionUID = 1L;

        public SessionMoved(String path) {
            super(ErrorCode.SESSION_MOVED.code(), path, false);
        }
    }

    /**
     * Authentication failed ({@link ErrorCode#AUTH_FAILED}), or the server closed the session
     * because it requires authentication ({@link ErrorCode#SESSION_CLOSED_REQUIRE_SASL_AUTH}).
     * Terminal.
     */
    public static final class AuthFailed extends ZkException {
        private static final long serialVersionUID = 1L;

        public AuthFailed(int code, String path) {
            super(code, path, false);
        }

        @Override
        public boolean isTerminal() {
            return true;
        }
    }

    /** A write on a read-only server: wait for {@link SessionState#CONNECTED} and retry. */
    public static final class NotReadOnly extends ZkException {
        private static final long serialVersionUID = 1L;

        public NotReadOnly(String path) {
            super(ErrorCode.NOT_READ_ONLY.code(), path, false);
        }
    }

    /** The server does not implement this operation (e.g. persistent watches before 3.6). */
    public static final class Unimplemented extends ZkException {
        private static final long serialVersionUID = 1L;

        public Unimplemented(String path, String detail) {
            super(
                    ErrorCode.UNIMPLEMENTED.code(),
                    path,
                    false,
                    "operation not implemented by this server" + (path == null ? "" : ": " + path)
                            + (detail == null ? "" : " (" + detail + ")"),
                    null);
        }
    }

    /**
     * The client is closed: {@link ZkClient#close()} was called, or the client closed itself
     * because its own machinery failed (then {@link #getCause()} says how, for example a JVM that
     * cannot open sockets). Terminal.
     */
    public static final class Closed extends ZkException {
        private static final long serialVersionUID = 1L;

        public Closed(String path, boolean mayHaveBeenApplied) {
            this(path, mayHaveBeenApplied, null);
        }

        /**
         * @param cause the failure that closed the client, or null if it was {@code close()}
         */
        public Closed(String path, boolean mayHaveBeenApplied, Throwable cause) {
            super(
                    ErrorCode.API_ERROR.code(),
                    path,
                    mayHaveBeenApplied,
                    (cause == null ? "client closed" : "client closed itself after an internal failure (" + cause + ")")
                            + (path == null ? "" : ": " + path)
                            + (mayHaveBeenApplied ? " (the request was sent and may have been applied)" : ""),
                    cause);
        }

        @Override
        public boolean isTerminal() {
            return true;
        }
    }

    /**
     * The calling thread was interrupted while it waited; its interrupt flag is still set. A late
     * reply is dropped and the connection stays up.
     */
    public static final class Interrupted extends ZkException {
        private static final long serialVersionUID = 1L;

        public Interrupted(String path, boolean mayHaveBeenApplied) {
            super(
                    ErrorCode.API_ERROR.code(),
                    path,
                    mayHaveBeenApplied,
                    "interrupted while waiting" + (path == null ? "" : ": " + path)
                            + (mayHaveBeenApplied ? " (the request was sent and may have been applied)" : ""),
                    null);
        }
    }

    /**
     * A {@link ZkClient#multi} was rejected as a whole: nothing was applied. {@link #code()} and
     * {@link #path()} are those of the op that failed; {@link #results()} has every op's result.
     */
    public static final class MultiFailed extends ZkException {
        private static final long serialVersionUID = 1L;

        private final transient List<OpResult> results;
        private final int failedIndex;

        public MultiFailed(int code, String path, int failedIndex, List<OpResult> results) {
            super(
                    code,
                    path,
                    false,
                    "transaction failed at op " + failedIndex + ": "
                            + ErrorCode.of(code).description() + (path == null ? "" : ": " + path)
                            + "; nothing was applied",
                    null);
            this.failedIndex = failedIndex;
            this.results = List.copyOf(results);
        }

        /** Every op's result, in order: the failed op's error, and errors for the others. */
        public List<OpResult> results() {
            return results;
        }

        /** The index of the op that failed. */
        public int failedIndex() {
            return failedIndex;
        }
    }

    /** A persistent watch's buffer overflowed; events were lost. Re-read and watch again. */
    public static final class WatchOverflow extends ZkException {
        private static final long serialVersionUID = 1L;

        public WatchOverflow(String path, int capacity) {
            super(
                    ErrorCode.API_ERROR.code(),
                    path,
                    false,
                    "persistent watch on " + path + " overflowed its buffer of " + capacity
                            + " events and was removed; re-read the state and add a new watch",
                    null);
        }

        /**
         * @param capacity the most events the buffer holds
         * @param capacityBytes the most bytes (estimated) its events hold
         */
        public WatchOverflow(String path, int capacity, long capacityBytes) {
            super(
                    ErrorCode.API_ERROR.code(),
                    path,
                    false,
                    "persistent watch on " + path + " overflowed its buffer (at most " + capacity + " events and "
                            + capacityBytes + " bytes) and was removed; re-read the state and add a new watch",
                    null);
        }
    }

    /** Any other code: the message names it and {@link #rawCode()} keeps it. */
    public static final class Other extends ZkException {
        private static final long serialVersionUID = 1L;

        public Other(int code, String path) {
            super(code, path, false);
        }
    }
}
