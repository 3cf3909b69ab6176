package io.loomzk.client.internal;

import io.loomzk.client.ZkException;
import io.loomzk.protocol.ErrorCode;

/**
 * Why a call failed: one of a closed set, thrown by {@link Call#await()} in place of the reply.
 *
 * <p>The kinds are the ways a call can end without its reply: the server answered with an error
 * ({@link ServerError}), the connection died first ({@link ConnectionLost}), the deadline passed
 * ({@link TimedOut}), the caller was interrupted ({@link Interrupted}), the session ended
 * ({@link SessionEnded}), or the reply was larger than this client reads ({@link ReplyTooLarge}).
 * Every kind says whether the request's bytes may have reached the server ({@link #sent()}),
 * which decides whether a call may be sent again and whether a write's outcome is unknown.
 *
 * <p>A failure is data, not a report: it carries no stack trace (the caller turns it into a
 * {@link ZkException} on its own thread, via {@link Errors#toException}, so the trace shows the
 * caller and not the reader) and is immutable, so the common server errors are shared instances
 * and cost nothing to throw.
 */
public abstract sealed class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean sent;

    private Failure(boolean sent, Throwable cause) {
        super(null, cause, false, false);
        this.sent = sent;
    }

    /** Whether the request's bytes may have reached the server. */
    public final boolean sent() {
        return sent;
    }

    /** Whether this is the server's answer {@code code}. */
    public final boolean isServerError(ErrorCode code) {
        return this instanceof ServerError s && s.code() == code.code();
    }

    /** A server's error reply. Shared instances: the common ones allocate nothing. */
    public static ServerError server(int code) {
        return code <= 0 && code > -ServerError.SHARED.length ? ServerError.SHARED[-code] : new ServerError(code);
    }

    public static ConnectionLost connectionLoss(boolean sent, Throwable cause) {
        return new ConnectionLost(sent, cause);
    }

    public static TimedOut timeout(boolean sent) {
        return new TimedOut(sent);
    }

    public static Interrupted interrupted(boolean sent) {
        return new Interrupted(sent);
    }

    /** The reply of {@code replyBytes} was over the client's {@code limitBytes} and skipped. */
    public static ReplyTooLarge replyTooLarge(int replyBytes, int limitBytes) {
        return new ReplyTooLarge(replyBytes, limitBytes);
    }

    /** The server answered with an error code. The request reached it. */
    public static final class ServerError extends Failure {
        private static final long serialVersionUID = 1L;
        private static final ServerError[] SHARED = new ServerError[128];

        static {
            for (int i = 0; i < SHARED.length; i++) {
                SHARED[i] = new ServerError(-i);
            }
        }

        private final int code;

        private ServerError(int code) {
            super(true, null);
            this.code = code;
        }

        /** The server's error code ({@link ErrorCode#code()}). */
        public int code() {
            return code;
        }

        @Override
        public String toString() {
            return "ServerError[" + code + "]";
        }
    }

    /** The connection died before the reply arrived; {@link #getCause()} says how, if known. */
    public static final class ConnectionLost extends Failure {
        private static final long serialVersionUID = 1L;

        private ConnectionLost(boolean sent, Throwable cause) {
            super(sent, cause);
        }

        @Override
        public String toString() {
            return "ConnectionLost[sent=" + sent() + ", cause=" + getCause() + "]";
        }
    }

    /** The call's deadline passed before its reply arrived. */
    public static final class TimedOut extends Failure {
        private static final long serialVersionUID = 1L;

        private TimedOut(boolean sent) {
            super(sent, null);
        }

        @Override
        public String toString() {
            return "TimedOut[sent=" + sent() + "]";
        }
    }

    /** The caller was interrupted while it waited; a late reply is dropped. */
    public static final class Interrupted extends Failure {
        private static final long serialVersionUID = 1L;

        private Interrupted(boolean sent) {
            super(sent, null);
        }

        @Override
        public String toString() {
            return "Interrupted[sent=" + sent() + "]";
        }
    }

    /**
     * The server answered, but its reply was larger than this client reads, and was skipped (the
     * connection lives on).
     */
    public static final class ReplyTooLarge extends Failure {
        private static final long serialVersionUID = 1L;
        private final int replyBytes;
        private final int limitBytes;

        private ReplyTooLarge(int replyBytes, int limitBytes) {
            super(true, null);
            this.replyBytes = replyBytes;
            this.limitBytes = limitBytes;
        }

        /** The size of the reply, as its frame announced it. */
        public int replyBytes() {
            return replyBytes;
        }

        /** The most this client reads in one reply. */
        public int limitBytes() {
            return limitBytes;
        }

        @Override
        public String toString() {
            return "ReplyTooLarge[" + replyBytes + " > " + limitBytes + "]";
        }
    }

    /**
     * The session ended before the call could be answered: how it ended is {@link #end()}. Never
     * sent: a call on a session that has ended does not reach a server.
     */
    public static final class SessionEnded extends Failure {
        private static final long serialVersionUID = 1L;
        private static final SessionEnded EXPIRED =
                new SessionEnded(SessionEnd.EXPIRED, ErrorCode.SESSION_EXPIRED.code(), null);
        private static final SessionEnded CLOSED = new SessionEnded(SessionEnd.CLOSED, 0, null);

        private final SessionEnd end;
        private final int serverCode;

        private SessionEnded(SessionEnd end, int serverCode, Throwable cause) {
            super(false, cause);
            this.end = end;
            this.serverCode = serverCode;
        }

        /** The session expired (the ensemble said so, or the client's own clock did). */
        public static SessionEnded expired() {
            return EXPIRED;
        }

        /** {@code close()} ended the session. */
        public static SessionEnded closed() {
            return CLOSED;
        }

        /**
         * Authentication was refused or could not be attempted (a SASL login): an
         * {@link SessionEnd#AUTH_FAILED} end with the server's code (or {@code AUTH_FAILED}) and
         * {@code reason}, whose message carries no secret, saying why.
         */
        public static SessionEnded authRefused(int code, Throwable reason) {
            return new SessionEnded(SessionEnd.AUTH_FAILED, code, reason);
        }

        /** The client closed itself because its own machinery failed with {@code cause}. */
        public static SessionEnded clientFailed(Throwable cause) {
            return new SessionEnded(SessionEnd.CLOSED, 0, cause);
        }

        /**
         * The end a server's session-ending code stands for ({@link SessionEnd#ofServerCode});
         * a code that does not end a session is read as an expiry, the safe reading.
         */
        public static SessionEnded byServer(int code) {
            SessionEnd end = SessionEnd.ofServerCode(code);
            return end == SessionEnd.AUTH_FAILED ? new SessionEnded(end, code, null) : EXPIRED;
        }

        /** How the session ended. */
        public SessionEnd end() {
            return end;
        }

        /** The server's code for an {@link SessionEnd#AUTH_FAILED} end; 0 for an end the client decided. */
        public int serverCode() {
            return serverCode;
        }

        @Override
        public String toString() {
            return "SessionEnded[" + end + (getCause() == null ? "" : ", cause=" + getCause()) + "]";
        }
    }
}
