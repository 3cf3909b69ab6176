package io.loomzk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import javax.security.auth.Subject;
import org.junit.jupiter.api.Test;

class SaslSettingsTest {

    @Test
    void thePasswordIsCopiedAndNeverPrinted() {
        char[] password = "hunter2-secret".toCharArray();
        SaslSettings settings = SaslSettings.digest("alice", password);
        Arrays.fill(password, 'x'); // the caller clears its own array
        assertThat(settings.toString()).contains("DIGEST-MD5", "alice").doesNotContain("hunter2");
        assertThat(settings).isEqualTo(SaslSettings.digest("alice", "hunter2-secret".toCharArray()));
        assertThat(settings).isNotEqualTo(SaslSettings.digest("alice", "other".toCharArray()));
    }

    @Test
    void settersReturnCopiesAndValidate() {
        SaslSettings base = SaslSettings.fromJaas("Client");
        SaslSettings named = base.serviceName("zk").canonicalizeHostName(false);
        assertThat(base.toString()).contains("JAAS section Client", "zookeeper/<host>");
        assertThat(named.toString()).contains("zk/<host>", "host names as given");
        assertThat(base.serverPrincipal("zookeeper/zk1.example.com@EXAMPLE.COM").toString())
                .contains("zookeeper/zk1.example.com@EXAMPLE.COM");
        assertThatThrownBy(() -> base.serverPrincipal("zookeeper")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.serverPrincipal("zookeeper/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> base.serviceName("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SaslSettings.digest("", new char[1])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SaslSettings.fromJaas("")).isInstanceOf(IllegalArgumentException.class);
        assertThat(SaslSettings.kerberos(new Subject()).toString()).contains("GSSAPI");
    }

    @Test
    void fromJaasReadsTheOfficialSystemProperty() {
        String before = System.getProperty(SaslSettings.JAAS_SECTION_PROPERTY);
        try {
            System.clearProperty(SaslSettings.JAAS_SECTION_PROPERTY);
            assertThat(SaslSettings.fromJaas()).isEqualTo(SaslSettings.fromJaas("Client"));
            System.setProperty(SaslSettings.JAAS_SECTION_PROPERTY, "ZkClientSection");
            assertThat(SaslSettings.fromJaas()).isEqualTo(SaslSettings.fromJaas("ZkClientSection"));
        } finally {
            if (before == null) {
                System.clearProperty(SaslSettings.JAAS_SECTION_PROPERTY);
            } else {
                System.setProperty(SaslSettings.JAAS_SECTION_PROPERTY, before);
            }
        }
    }
}
