package io.loomzk.client.internal;

/**
 * Why a call failed with {@link Failure.Kind#REPLY_TOO_LARGE}: its reply frame announced more
 * bytes than the client reads. The connection skipped the frame and stays up.
 */
public final class OversizedReply extends Exception {
    private static final long serialVersionUID = 1L;

    private final int replyBytes;
    private final int limitBytes;

    OversizedReply(int replyBytes, int limitBytes) {
        super("reply of " + replyBytes + " bytes exceeds the limit of " + limitBytes + " bytes", null, false, false);
        this.replyBytes = replyBytes;
        this.limitBytes = limitBytes;
    }

    /** The reply's announced size. */
    public int replyBytes() {
        return replyBytes;
    }

    /** The largest reply the client reads. */
    public int limitBytes() {
        return limitBytes;
    }
}
