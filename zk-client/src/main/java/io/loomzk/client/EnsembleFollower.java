package io.loomzk.client;

import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * Keeps a client's server list equal to the ensemble's configuration: reads
 * {@code /zookeeper/config} with a watch, hands its members' client addresses to
 * {@link ZkClient#updateServerList}, and reads again whenever the watch fires (a reconfiguration
 * committed). Runs as a background job of the client ({@link ZkClient#runInBackground}), so the
 * client's {@code close()} ends it; it waits out disconnections and goes on after
 * {@link ZkClient#startNewSession()}.
 */
final class EnsembleFollower implements Runnable {
    private static final System.Logger LOG = System.getLogger(EnsembleFollower.class.getName());
    private static final Duration STATE_POLL = Duration.ofSeconds(1);

    private final ZkClient client;
    /** The version last applied; the follower's thread alone reads and writes it. */
    private long applied = Long.MIN_VALUE;

    EnsembleFollower(ZkClient client) {
        this.client = client;
    }

    @Override
    public void run() {
        try {
            while (true) {
                try {
                    Watched<NodeData> read = client.getConfigAndWatch();
                    apply(EnsembleConfig.parse(read.value().data()));
                    read.watch().await();
                } catch (ZkException e) {
                    if (client.state() == SessionState.CLOSED) {
                        return;
                    }
                    // disconnected, expired (a new session may follow) or refused: wait and read again
                    client.awaitState(STATE_POLL, SessionState.CONNECTED, SessionState.READ_ONLY);
                } catch (IllegalArgumentException e) {
                    LOG.log(Level.WARNING, () -> "cannot read the ensemble's configuration: " + e.getMessage());
                    client.awaitState(STATE_POLL, SessionState.CLOSED); // not at once: it may change
                }
            }
        } catch (InterruptedException e) {
            // the client is closing
        }
    }

    private void apply(EnsembleConfig config) {
        if (config.version() == applied) {
            return;
        }
        String hosts = config.connectString();
        if (hosts.isEmpty()) {
            LOG.log(Level.DEBUG, "the ensemble's configuration names no client address; the server list stays");
            return;
        }
        boolean moved = client.updateServerList(hosts);
        applied = config.version();
        LOG.log(
                Level.INFO,
                () -> "following the ensemble's configuration version " + Long.toHexString(config.version()) + ": "
                        + hosts + (moved ? " (the session moves)" : ""));
    }
}
