package io.loomzk.client.internal;

import io.loomzk.client.ZkException;

/** Turns a call's {@link Failure} into the exception its caller throws, on the caller's thread. */
public final class Errors {
    private Errors() {}

    /**
     * The exception {@code f} stands for.
     *
     * @param path the client's path, for the message (null for none)
     * @param write whether the call changes state: a failure after its bytes may have reached the
     *     server then says the outcome is unknown
     */
    public static ZkException toException(Failure f, String path, boolean write) {
        boolean unknownOutcome = write && f.sent() && !(f instanceof Failure.ServerError);
        return switch (f) {
            case Failure.ServerError s -> ZkException.of(s.code(), path);
            case Failure.ConnectionLost c ->
                new ZkException.ConnectionLoss(
                        path,
                        unknownOutcome,
                        c.getCause() == null
                                ? (c.sent() ? null : "no connection to any server within the request timeout")
                                : c.getCause().getMessage(),
                        c.getCause());
            case Failure.TimedOut t -> new ZkException.RequestTimeout(path, unknownOutcome, null);
            case Failure.ReplyTooLarge r ->
                new ZkException.ReplyTooLarge(path, unknownOutcome, r.replyBytes(), r.limitBytes());
            case Failure.Interrupted i -> new ZkException.Interrupted(path, unknownOutcome);
            case Failure.SessionEnded e ->
                switch (e.end()) {
                    case CLOSED -> new ZkException.Closed(path, unknownOutcome, e.getCause());
                    case AUTH_FAILED -> new ZkException.AuthFailed(e.serverCode(), path, e.getCause());
                    case EXPIRED -> new ZkException.SessionExpired(path, unknownOutcome);
                };
        };
    }
}
