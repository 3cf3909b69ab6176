package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EnsembleConfigTest {
    private static EnsembleConfig parse(String text) {
        return EnsembleConfig.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsMembersRolesClientAddressesAndTheHexadecimalVersion() {
        EnsembleConfig c = parse("server.1=10.0.0.1:2888:3888:participant;0.0.0.0:2181\n"
                + "server.2=zk2.example:2888:3888:observer;zk2-client.example:2182\n"
                + "server.3=[fe80::1]:2888:3888;2183\n"
                + "server.4=10.0.0.4:2888:3888\n"
                + "version=1000000a2\n");
        assertThat(c.version()).isEqualTo(0x1000000a2L);
        assertThat(c.members())
                .containsExactly(
                        new EnsembleConfig.Member(1, "10.0.0.1", "participant", "10.0.0.1:2181"),
                        new EnsembleConfig.Member(2, "zk2.example", "observer", "zk2-client.example:2182"),
                        new EnsembleConfig.Member(3, "fe80::1", "participant", "[fe80::1]:2183"),
                        new EnsembleConfig.Member(4, "10.0.0.4", "participant", null));
        assertThat(c.connectString()).isEqualTo("10.0.0.1:2181,zk2-client.example:2182,[fe80::1]:2183");
    }

    @Test
    void emptyOrMalformedConfigurations() {
        assertThat(EnsembleConfig.parse(null).members()).isEmpty();
        assertThat(parse("").version()).isEqualTo(-1);
        assertThat(parse("").connectString()).isEmpty();
        assertThatThrownBy(() -> parse("server.x=1.2.3.4:1:2;3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("version=zz")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("server.1=nohostport")).isInstanceOf(IllegalArgumentException.class);
    }
}
