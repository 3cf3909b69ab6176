package io.loomzk.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loomzk.testing.internal.ServerClasspath;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ServerClasspathTest {

    @ParameterizedTest
    @EnumSource(ZkVersion.class)
    void everyLineResolvesToItsOwnJarsInTheLocalRepository(ZkVersion version) {
        assertThat(version.version()).startsWith(version.line() + ".");
        List<Path> jars = ServerClasspath.jars(version.line());
        assertThat(jars).allSatisfy(jar -> assertThat(jar).isRegularFile());
        assertThat(jars)
                .extracting(jar -> jar.getFileName().toString())
                .contains("zookeeper-" + version.version() + ".jar", "zookeeper-jute-" + version.version() + ".jar")
                .anyMatch(name -> name.startsWith("slf4j-simple-"));
    }

    @Test
    void onlyTheDefaultLinesServerIsOnThisClassPath() {
        List<String> zookeeperJars = List.of(
                        System.getProperty("java.class.path").split(File.pathSeparator))
                .stream()
                .map(entry -> Path.of(entry).getFileName().toString())
                .filter(name -> name.startsWith("zookeeper-"))
                .toList();
        assertThat(zookeeperJars)
                .containsExactlyInAnyOrder(
                        "zookeeper-" + ZkVersion.V3_9.version() + ".jar",
                        "zookeeper-jute-" + ZkVersion.V3_9.version() + ".jar");
        assertThat(org.apache.zookeeper.Version.getFullVersion()).startsWith(ZkVersion.V3_9.version());
    }

    @Test
    void aClassPathOverrideReplacesTheDescriptor() throws Exception {
        Path jar = Files.createTempFile("fake-zookeeper", ".jar");
        String key = "loomzk.testing.zookeeper.3.6.classpath";
        System.setProperty(key, jar.toString());
        try {
            assertThat(ServerClasspath.jars("3.6")).containsExactly(jar);
        } finally {
            System.clearProperty(key);
            Files.delete(jar);
        }
    }

    @Test
    void missingJarsAreReportedWithAWayOut() throws Exception {
        String key = "loomzk.testing.zookeeper.3.7.classpath";
        System.setProperty(key, "/nonexistent/zookeeper.jar");
        try {
            assertThatThrownBy(() -> ServerClasspath.jars("3.7"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("/nonexistent/zookeeper.jar")
                    .hasMessageContaining("mvn dependency:get -Dartifact=org.apache.zookeeper:zookeeper:3.7.");
        } finally {
            System.clearProperty(key);
        }
    }

    @Test
    void versionsParseFromLinesAndReleases() {
        assertThat(ZkVersion.of("3.5")).isEqualTo(ZkVersion.V3_5);
        assertThat(ZkVersion.of("3.8.6")).isEqualTo(ZkVersion.V3_8);
        assertThatThrownBy(() -> ZkVersion.of("3.4.14")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ZkVersion.of("3.55")).isInstanceOf(IllegalArgumentException.class);
    }
}
