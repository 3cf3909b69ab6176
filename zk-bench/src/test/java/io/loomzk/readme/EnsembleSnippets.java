package io.loomzk.readme;

import io.loomzk.client.EnsembleConfig;
import io.loomzk.client.NodeData;
import io.loomzk.client.ZkClient;
import java.util.List;

/** The README's "Dynamic ensembles" snippets, compiled (never run). */
@SuppressWarnings("unused")
final class EnsembleSnippets {
    private EnsembleSnippets() {}

    static void follow() {
        // readme:begin ensemble-follow
        // Given one member, the client learns the others from /zookeeper/config and follows
        // every reconfiguration: it leaves removed members and spreads over new ones.
        ZkClient zk = ZkClient.builder("zk1.example:2181").followEnsembleConfig(true).build();
        // readme:end ensemble-follow
        zk.close();
    }

    static void reconfigure(ZkClient admin, ZkClient zk) {
        // readme:begin ensemble-reconfig
        EnsembleConfig before = EnsembleConfig.parse(admin.getConfig().data());
        NodeData after = admin.reconfig(
                List.of("server.4=10.0.0.4:2888:3888:participant;2181"), // joining
                List.of("2"), // leaving: server ids
                before.version()); // fails with BadVersion if someone reconfigured meanwhile
        zk.updateServerList(EnsembleConfig.parse(after.data()).connectString()); // or follow, below
        // readme:end ensemble-reconfig
    }
}
