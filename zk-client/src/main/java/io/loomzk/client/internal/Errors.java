package io.loomzk.client.internal;

import io.loomzk.client.ZkException;

/** Turns a call's {@link Failure} into the exception its caller throws, on the caller's thread. */
public final class Errors {
    private Errors() {}

    public static ZkException toException(Failure f, String path, boolean write) {
        boolean unknownOutcome = write && f.sent() && f.kind() != Failure.Kind.SERVER;
        return switch (f.kind()) {
            case SERVER -> ZkException.of(f.code(), path);
            case CONNECTION_LOSS ->
                new ZkException.ConnectionLoss(
                        path,
                        unknownOutcome,
                        f.cause() == null
                                ? (f.sent() ? null : "no connection to any server within the request timeout")
                                : f.cause().getMessage(),
                        f.cause());
            case TIMEOUT -> new ZkException.RequestTimeout(path, unknownOutcome, null);
            case REPLY_TOO_LARGE -> {
                OversizedReply o = (OversizedReply) f.cause();
                yield new ZkException.ReplyTooLarge(path, unknownOutcome, o.replyBytes(), o.limitBytes());
            }
            case INTERRUPTED -> new ZkException.Interrupted(path, unknownOutcome);
            case SESSION_ENDED ->
                switch (SessionEnd.of(f)) {
                    case CLOSED -> new ZkException.Closed(path, unknownOutcome, f.cause());
                    case AUTH_FAILED -> new ZkException.AuthFailed(f.code(), path, f.cause());
                    case EXPIRED -> new ZkException.SessionExpired(path, unknownOutcome);
                };
        };
    }
}
