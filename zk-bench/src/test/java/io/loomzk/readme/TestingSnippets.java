package io.loomzk.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.protocol.OpCode;
import io.loomzk.testing.Sessions;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkProxy;
import io.loomzk.testing.ZkServer;
import io.loomzk.testing.ZkTest;
import org.junit.jupiter.api.Test;

/**
 * The README's "Testing your own code" example, compiled. It is a nested class, so the test
 * runners do not pick it up as a test of this module.
 */
final class TestingSnippets {
    private TestingSnippets() {}

    // readme:begin testing-your-own-code
    @ZkTest
    class InventoryIT {
        @Test
        void aLostReplyStillCreatedTheNode(@ZkConnectString String connectString, ZkProxy proxy) {
            // connectString: 127.0.0.1:<port>/InventoryIT.aLostReplyStillCreatedTheNode-1 (it exists)
            // proxy: in front of the same server; proxy.connectString() carries the same chroot
            try (ZkClient zk = ZkClient.builder(proxy.connectString()).build()) {
                proxy.cutAfterReplyTo(OpCode.CREATE2);      // the server applies it, the client never hears
                assertThatThrownBy(() -> zk.create("/item", new byte[0], CreateOptions.persistent()))
                        .isInstanceOf(ZkException.ConnectionLoss.class);
            }
            try (ZkClient zk = ZkClient.builder(connectString).build()) {
                assertThat(zk.exists("/item")).isPresent();
            }
        }

        @Test
        void ephemeralsGoWithTheirSession(ZkServer server, @ZkConnectString String connectString) {
            try (ZkClient zk = ZkClient.builder(connectString).build()) {
                zk.create("/me", new byte[0], CreateOptions.ephemeral());
                Sessions.expire(server.connectString(), zk.sessionId(), zk.sessionPassword()); // server-side
                // ... the node is gone now; zk sees SessionExpired
            }
        }
    }
    // readme:end testing-your-own-code
}
