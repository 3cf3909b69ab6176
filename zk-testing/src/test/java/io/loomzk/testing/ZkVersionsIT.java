package io.loomzk.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.testing.internal.FourLetterWords;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ZkVersionsIT {

    @ParameterizedTest
    @EnumSource(ZkVersion.class)
    void everyLineStartsAsAChildAndServesACreateAndAGet(ZkVersion version) throws Exception {
        try (ZkServer server =
                ZkServer.builder().version(version).childProcess().start()) {
            assertThat(server.isChildProcess()).isTrue();
            String srvr = FourLetterWords.ask(server.port(), "srvr", Duration.ofSeconds(2));
            assertThat(srvr).startsWith("Zookeeper version: " + version.version() + "-");

            try (ApacheClient c = ApacheClient.connect(server.connectString())) {
                ZkServerIT.create(c, "/v", version.line());
                assertThat(ZkServerIT.read(c, "/v")).isEqualTo(version.line());
            }
        }
    }
}
