package io.loomzk.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostListTest {

    @Test
    void parsesHostsPortsAndChroot() {
        HostList list = HostList.parse("zk1:2181, zk2:2182,zk3/app/one", new Random(1));
        assertThat(list.chroot()).isEqualTo("/app/one");
        assertThat(list.hosts())
                .containsExactlyInAnyOrder(
                        new HostList.Host("zk1", 2181), new HostList.Host("zk2", 2182), new HostList.Host("zk3", 2181));
    }

    @Test
    void parsesIpv6InBrackets() {
        HostList list = HostList.parse("[::1]:2181,[fe80::1]", new Random(1));
        assertThat(list.hosts())
                .containsExactlyInAnyOrder(new HostList.Host("::1", 2181), new HostList.Host("fe80::1", 2181));
        assertThat(new HostList.Host("::1", 2181)).hasToString("[::1]:2181");
    }

    @Test
    void rootChrootMeansNone() {
        assertThat(HostList.parse("h:1/", new Random(1)).chroot()).isEmpty();
    }

    @Test
    void rejectsMalformedConnectStrings() {
        assertThatThrownBy(() -> HostList.parse("", new Random())).hasMessageContaining("at least one host");
        assertThatThrownBy(() -> HostList.parse(",,/app", new Random())).hasMessageContaining("at least one host");
        assertThatThrownBy(() -> HostList.parse("h:port", new Random())).hasMessageContaining("bad port");
        assertThatThrownBy(() -> HostList.parse("h:70000", new Random())).hasMessageContaining("out of range");
        assertThatThrownBy(() -> HostList.parse("h:1/app/", new Random())).hasMessageContaining("bad chroot");
        assertThatThrownBy(() -> HostList.parse("[::1:2181", new Random())).hasMessageContaining("unclosed");
    }

    @Test
    void handsOutEveryHostRoundRobinAndResolvesEachTime() {
        HostList list = HostList.parse("127.0.0.1:1,127.0.0.2:2,127.0.0.3:3", new Random(7));
        Set<InetSocketAddress> firstRound = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            InetSocketAddress a = list.next();
            assertThat(a.isUnresolved()).isFalse();
            firstRound.add(a);
        }
        assertThat(firstRound).hasSize(3);
        InetSocketAddress again = list.next();
        assertThat(again).isNotSameAs(firstRound.iterator().next());
        assertThat(firstRound).contains(again);
    }
}
