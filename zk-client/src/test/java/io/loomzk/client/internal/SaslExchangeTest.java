package io.loomzk.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Date;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KerberosTicket;
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

    @Test
    void aJaasLoginIsRenewedWhenItsTicketGrantingTicketIsMissingOrEndsWithinAMinute() {
        Subject subject = new Subject();
        assertThat(SaslExchange.ticketEndsSoon(subject)).as("no ticket").isTrue();
        long now = System.currentTimeMillis();
        subject.getPrivateCredentials().add(ticket("HTTP/web.example.com@EXAMPLE.COM", now + 3_600_000));
        assertThat(SaslExchange.ticketEndsSoon(subject))
                .as("a service ticket is no TGT")
                .isTrue();
        subject.getPrivateCredentials().add(ticket("krbtgt/EXAMPLE.COM@EXAMPLE.COM", now + 30_000));
        assertThat(SaslExchange.ticketEndsSoon(subject))
                .as("a TGT ending in 30 s")
                .isTrue();
        subject.getPrivateCredentials().add(ticket("krbtgt/EXAMPLE.COM@EXAMPLE.COM", now + 3_600_000));
        assertThat(SaslExchange.ticketEndsSoon(subject))
                .as("a TGT good for an hour")
                .isFalse();
    }

    private static KerberosTicket ticket(String server, long endMillis) {
        long start = endMillis - 7_200_000;
        return new KerberosTicket(
                new byte[] {1},
                new KerberosPrincipal("alice@EXAMPLE.COM"),
                new KerberosPrincipal(server),
                new byte[16],
                17,
                new boolean[32],
                new Date(start),
                new Date(start),
                new Date(endMillis),
                null,
                null);
    }
}
