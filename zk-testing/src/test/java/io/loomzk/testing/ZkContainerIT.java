package io.loomzk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** The optional Docker backend; skipped, with the reason, on machines without a Docker engine. */
class ZkContainerIT {

    @Test
    void officialImageServesACreateAndAGet() throws Exception {
        assumeTrue(
                ZkContainer.isDockerAvailable(),
                () -> "skipped: " + ZkContainer.whyUnavailable().orElse(""));
        try (ZkContainer zk = ZkContainer.start();
                ApacheClient c = ApacheClient.connect(zk.connectString())) {
            ZkServerIT.create(c, "/in-a-container", "yes");
            assertThat(ZkServerIT.read(c, "/in-a-container")).isEqualTo("yes");
        }
    }

    @Test
    void withoutDockerStartSaysWhy() {
        assumeFalse(ZkContainer.isDockerAvailable(), "Docker is available here");
        assertThat(ZkContainer.whyUnavailable()).get().asString().contains("Docker");
        assertThatThrownBy(() -> ZkContainer.start("zookeeper:3.8"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot run zookeeper:3.8: ");
    }
}
