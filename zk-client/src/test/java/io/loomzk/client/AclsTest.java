package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.protocol.CreateMode;
import io.loomzk.protocol.Perms;
import java.time.Duration;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;

class AclsTest {

    @Test
    void digestIdIsComputedAsTheServerComputesIt() throws Exception {
        for (String[] up : new String[][] {{"alice", "secret"}, {"bob", ""}, {"ünï", "pässwörd:with:colons"}}) {
            assertThat(Acls.digestId(up[0], up[1]))
                    .isEqualTo(DigestAuthenticationProvider.generateDigest(up[0] + ":" + up[1]));
        }
        assertThat(Acls.digest("alice", "secret", Perms.READ).perms()).isEqualTo(Perms.READ);
        assertThat(Acls.digest("alice", "secret", Perms.READ).id().scheme()).isEqualTo("digest");
    }

    @Test
    void constantsAreTheUsualOnes() {
        assertThat(Acls.OPEN_UNSAFE).singleElement().satisfies(a -> {
            assertThat(a.perms()).isEqualTo(Perms.ALL);
            assertThat(a.id().scheme()).isEqualTo("world");
            assertThat(a.id().id()).isEqualTo("anyone");
        });
        assertThat(Acls.CREATOR_ALL.get(0).id().scheme()).isEqualTo("auth");
        assertThat(Acls.READ_UNSAFE.get(0).perms()).isEqualTo(Perms.READ);
        assertThat(Perms.toString(Perms.ALL)).isEqualTo("cdrwa");
    }

    @Test
    void createOptionsCheckTheirConsistency() {
        assertThat(CreateOptions.ttl(Duration.ofSeconds(5)).mode()).isEqualTo(CreateMode.PERSISTENT_WITH_TTL);
        assertThat(CreateOptions.ttl(Duration.ofSeconds(5)).ttlMillis()).isEqualTo(5000);
        assertThatThrownBy(() -> CreateOptions.ttl(Duration.ZERO)).hasMessageContaining("TTL");
        assertThatThrownBy(() -> new CreateOptions(CreateMode.EPHEMERAL, Acls.OPEN_UNSAFE, 5))
                .hasMessageContaining("no TTL");
        assertThatThrownBy(() -> CreateOptions.persistent().withAcl(java.util.List.of()))
                .hasMessageContaining("at least one");
    }
}
