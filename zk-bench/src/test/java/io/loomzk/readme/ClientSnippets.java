package io.loomzk.readme;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.NodeData;
import io.loomzk.client.Watched;
import io.loomzk.client.WatchedEvent;
import io.loomzk.client.ZkClient;
import java.time.Duration;

/** The README's "Using the client" example, compiled. */
final class ClientSnippets {
    private ClientSnippets() {}

    static void usingTheClient() throws InterruptedException {
        // readme:begin using-the-client
        try (ZkClient zk = ZkClient.builder("127.0.0.1:2181/app")   // hosts, optional chroot
                .createChroot(true)                                    // make /app if it is missing
                .sessionTimeout(Duration.ofSeconds(30))
                .build()) {                                            // blocks until a session exists
            zk.createWithParents("/config/db", "url=...".getBytes(), CreateOptions.persistent());
            Watched<NodeData> read = zk.getDataAndWatch("/config/db");  // the value and its watch
            System.out.println(new String(read.value().data()));
            WatchedEvent change = read.watch().await();                 // blocks this (virtual) thread
            System.out.println(change.type() + " " + change.path());
        }
        // readme:end using-the-client
    }
}
