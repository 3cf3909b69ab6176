package io.loomzk.client.internal;

/** What the reader does with a watch-setting call's reply before completing the call. */
public interface WatchRegistration {

    /**
     * Registers the watch if the reply set one. Called on the reader thread before the call is
     * completed; must not block.
     *
     * @param err the reply's error code
     * @param abandoned whether the caller already gave up on the call
     */
    void onReply(int err, boolean abandoned);
}
