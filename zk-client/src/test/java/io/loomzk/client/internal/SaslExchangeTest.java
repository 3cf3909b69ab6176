package io.loomzk.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SaslExchangeTest {
    private static SaslExchange exchange(String serviceName, String principal, boolean canonicalize) {
        return new SaslExchange(new SaslConfig(
                SaslConfig.Source.JAAS, null, null, "Client", null, serviceName, principal, canonicalize));
    }

    @Test
    void theServerPrincipalIsServiceSlashHostAsTheOfficialClientMakesIt() throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 2181);
        String canonical = InetAddress.getByName("127.0.0.1").getCanonicalHostName();
        // canonicalized: the reverse lookup when it is a name, else the address as given
        assertThat(exchange("zookeeper", null, true).serverPrincipal(loopback)).isEqualTo("zookeeper/" + canonical);
        assertThat(exchange("zookeeper", null, false).serverPrincipal(loopback)).isEqualTo("zookeeper/127.0.0.1");
        InetSocketAddress named =
                new InetSocketAddress(InetAddress.getByAddress("zk1.example.com", new byte[] {10, 0, 0, 1}), 2181);
        assertThat(exchange("zk", null, false).serverPrincipal(named)).isEqualTo("zk/zk1.example.com");
        InetSocketAddress unresolved = InetSocketAddress.createUnresolved("zk2.example.com", 2181);
        assertThat(exchange("zookeeper", null, true).serverPrincipal(unresolved))
                .isEqualTo("zookeeper/zk2.example.com");
        // a fixed principal wins, its realm left to the JDK
        assertThat(exchange("zookeeper", "zookeeper/zk.example.com@EXAMPLE.COM", true)
                        .serverPrincipal(loopback))
                .isEqualTo("zookeeper/zk.example.com");
    }

    @Test
    void theConfigNeverPrintsThePassword() {
        SaslConfig config = new SaslConfig(
                SaslConfig.Source.DIGEST, "bob", "s3cr3t-pw".toCharArray(), null, null, "zookeeper", null, true);
        assertThat(config.toString()).contains("bob").doesNotContain("s3cr3t-pw");
    }
}
