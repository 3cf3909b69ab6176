package io.loomzk.client;

import java.time.Duration;
import java.util.List;

/** Steps the dynamic-ensemble tests take again after a lost connection, each within a bound. */
final class Reconfigs {
    private Reconfigs() {}

    /**
     * Reconfigures the ensemble and returns its new configuration. A request whose reply was lost
     * may still have taken effect, which the configuration then shows ({@code members} members);
     * an ensemble still settling from the last change refuses for a moment. Both are tried again
     * until {@code wait} has passed.
     */
    static NodeData reconfigured(ZkClient admin, List<String> joining, List<String> leaving, int members, Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                return admin.reconfig(joining, leaving, -1);
            } catch (ZkException e) {
                if (e.isTerminal() || System.nanoTime() > deadline) {
                    throw e;
                }
                admin.awaitState(Duration.ofSeconds(30), SessionState.CONNECTED);
                try {
                    NodeData now = admin.getConfig();
                    if (EnsembleConfig.parse(now.data()).members().size() == members) {
                        return now; // the lost request did take effect
                    }
                } catch (ZkException.ConnectionLoss again) {
                    // look again on the next round
                }
                Thread.sleep(500);
            }
        }
    }

    /** Creates an ephemeral node, again after a lost connection, until it is there (within {@code wait}). */
    static void createEphemeral(ZkClient zk, String path, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                zk.create(path, null, CreateOptions.ephemeral());
                return;
            } catch (ZkException.NodeExists e) {
                return; // an earlier attempt whose reply was lost
            } catch (ZkException.ConnectionLoss e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                zk.awaitState(Duration.ofSeconds(10), SessionState.CONNECTED);
            }
        }
    }
}
