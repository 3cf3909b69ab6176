package io.loomzk.client.internal;

import io.loomzk.protocol.ErrorCode;

/**
 * Why a call failed, as data: the caller turns it into an exception on its own thread, so the
 * stack trace shows the caller and not the reader.
 *
 * @param kind where the failure came from
 * @param code the server's code for {@link Kind#SERVER}; for local kinds, the code clients use
 *     for that condition
 * @param sent whether the request's bytes may have reached the server
 * @param cause what broke the connection, or null
 */
public record Failure(Kind kind, int code, boolean sent, Throwable cause) {

    /** Where a failure came from. */
    public enum Kind {
        /** The server answered with an error code. */
        SERVER,
        /** The connection died before the reply arrived. */
        CONNECTION_LOSS,
        /** The caller's deadline passed first. */
        TIMEOUT,
        /** The caller was interrupted first. */
        INTERRUPTED,
        /** The session ended: expired, auth failed, or closed; {@code code} says which. */
        SESSION_ENDED,
        /**
         * The server answered, but its reply was larger than this client reads and was skipped;
         * {@code cause} is an {@link OversizedReply} with the sizes.
         */
        REPLY_TOO_LARGE
    }

    /** The code of a session ended by {@code ZkClient.close()}. */
    public static final int CLOSED_CODE = ErrorCode.API_ERROR.code();

    private static final Failure[] SERVER_ERRORS = new Failure[128];

    static {
        for (int i = 0; i < SERVER_ERRORS.length; i++) {
            SERVER_ERRORS[i] = new Failure(Kind.SERVER, -i, true, null);
        }
    }

    /** A server's error reply. Shared instances: the common ones allocate nothing. */
    public static Failure server(int code) {
        return code <= 0 && code > -SERVER_ERRORS.length
                ? SERVER_ERRORS[-code]
                : new Failure(Kind.SERVER, code, true, null);
    }

    public static Failure timeout(boolean sent) {
        return new Failure(Kind.TIMEOUT, ErrorCode.REQUEST_TIMEOUT.code(), sent, null);
    }

    public static Failure interrupted(boolean sent) {
        return new Failure(Kind.INTERRUPTED, CLOSED_CODE, sent, null);
    }

    public static Failure connectionLoss(boolean sent, Throwable cause) {
        return new Failure(Kind.CONNECTION_LOSS, ErrorCode.CONNECTION_LOSS.code(), sent, cause);
    }

    /** The reply of {@code replyBytes} was over the client's {@code limitBytes} and skipped. */
    public static Failure replyTooLarge(int replyBytes, int limitBytes) {
        return new Failure(
                Kind.REPLY_TOO_LARGE,
                ErrorCode.MARSHALLING_ERROR.code(),
                true,
                new OversizedReply(replyBytes, limitBytes));
    }

    public static Failure sessionEnded(int code, boolean sent) {
        return new Failure(Kind.SESSION_ENDED, code, sent, null);
    }

    /**
     * The session ended because authentication was refused or could not be attempted;
     * {@code reason} (whose message carries no secret) says why.
     */
    public static Failure authRefused(int code, Throwable reason) {
        return new Failure(Kind.SESSION_ENDED, code, false, reason);
    }

    /** The client closed itself because its own machinery failed with {@code cause}. */
    public static Failure clientFailed(Throwable cause) {
        return new Failure(Kind.SESSION_ENDED, CLOSED_CODE, false, cause);
    }
}
