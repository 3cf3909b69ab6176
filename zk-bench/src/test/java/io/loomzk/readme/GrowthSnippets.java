package io.loomzk.readme;

import io.loomzk.client.Acls;
import io.loomzk.client.ZkClient;
import io.loomzk.testing.ZkEnsemble;
import java.util.List;

/** The README's snippet of growing a test ensemble ("Dynamic ensembles"), compiled (never run). */
@SuppressWarnings("unused")
final class GrowthSnippets {
    private GrowthSnippets() {}

    static void grow(String password) {
        // readme:begin ensemble-grow
        try (ZkEnsemble ensemble = ZkEnsemble.builder()
                        .reconfigEnabled()
                        .jvmOptions("-Dzookeeper.DigestAuthenticationProvider.superDigest="
                                + Acls.digestId("super", password))
                        .start();
                ZkClient admin = ZkClient.builder(ensemble.connectString(0))
                        .auth("digest", Acls.digestCredentials("super", password))
                        .build()) {
            int added = ensemble.addServer(); // runs and serves, follows the leader without a vote
            admin.reconfig(List.of(ensemble.serverLine(added)), List.of(), -1); // now a member
            admin.reconfig(List.of(), List.of(Integer.toString(added + 1)), -1); // and out again
            ensemble.kill(added);
        }
        // readme:end ensemble-grow
    }
}
