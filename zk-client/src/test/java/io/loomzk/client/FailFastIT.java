package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.loomzk.testing.ZkProxy;
import io.loomzk.testing.ZkServer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a call does while the session is suspended: wait (the default) or fail at once (opt-in). */
@Timeout(120)
class FailFastIT {
    private static ZkServer server;

    @BeforeAll
    static void start() {
        server = ZkServer.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static ZkClient client(ZkProxy proxy, boolean failFast) {
        return ZkClient.builder(proxy.connectString())
                .sessionTimeout(Duration.ofSeconds(20))
                .requestTimeout(Duration.ofSeconds(60))
                .failFastWhenDisconnected(failFast)
                .build();
    }

    private static void suspend(ZkClient zk, ZkProxy proxy) throws InterruptedException {
        proxy.refuseNewConnections();
        proxy.cutAll();
        assertThat(zk.awaitState(Duration.ofSeconds(10), SessionState.SUSPENDED))
                .isEqualTo(SessionState.SUSPENDED);
    }

    @Test
    void withFailFastACallWhileSuspendedThrowsConnectionLossAtOnceAndWorksAgainAfterReconnecting() throws Exception {
        try (ZkProxy proxy = ZkProxy.start(server.connectString());
                ZkClient zk = client(proxy, true)) {
            assertThat(zk.exists("/")).isPresent();
            suspend(zk, proxy);
            // far below the 60 s request timeout a waiting call would take
            ZkException.ConnectionLoss loss =
                    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> catchConnectionLoss(() -> zk.exists("/")));
            assertThat(loss.mayHaveBeenApplied()).isFalse();
            assertThat(loss).hasMessageContaining("fails fast");
            assertThatThrownBy(() -> zk.create("/ff", null)).isInstanceOf(ZkException.ConnectionLoss.class);
            assertThatThrownBy(() -> zk.addAuth("digest", Acls.digestCredentials("a", "b")))
                    .isInstanceOf(ZkException.ConnectionLoss.class);

            proxy.resume();
            assertThat(zk.awaitState(Duration.ofSeconds(20), SessionState.CONNECTED))
                    .isEqualTo(SessionState.CONNECTED);
            assertThat(zk.exists("/ff")).isEmpty();
        }
    }

    @Test
    void byDefaultACallWhileSuspendedWaitsForTheConnectionAndSucceeds() throws Exception {
        try (ZkProxy proxy = ZkProxy.start(server.connectString());
                ZkClient zk = client(proxy, false)) {
            suspend(zk, proxy);
            CompletableFuture<Optional<?>> call = CompletableFuture.supplyAsync(
                    () -> zk.exists("/"), r -> Thread.ofVirtual().start(r));
            Thread.sleep(1000);
            assertThat(call).as("still waiting for a connection").isNotDone();
            proxy.resume();
            assertThat(call.get(30, TimeUnit.SECONDS)).isPresent();
        }
    }

    private static ZkException.ConnectionLoss catchConnectionLoss(Runnable call) {
        try {
            call.run();
        } catch (ZkException.ConnectionLoss e) {
            return e;
        }
        throw new AssertionError("the call succeeded while suspended");
    }
}
