package io.loomzk.readme;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.SaslSettings;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.protocol.ACL;
import io.loomzk.protocol.Id;
import io.loomzk.protocol.Perms;
import io.loomzk.testing.ZkServer;
import java.util.List;
import javax.security.auth.Subject;

/** The README's "Secured ensembles: SASL" examples, compiled. */
final class SaslSnippets {
    private SaslSnippets() {}

    static void digestInCode(char[] password, byte[] data) {
        // readme:begin sasl-digest
        try (ZkClient zk = ZkClient.builder("zk1:2181,zk2:2181,zk3:2181")
                .sasl(SaslSettings.digest("bob", password))   // char[]: copied, never printed
                .build()) {                                   // SASL runs before anything else
            List<ACL> bobOnly = List.of(new ACL(Perms.ALL, new Id("sasl", "bob")));
            zk.create("/bobs", data, CreateOptions.persistent().withAcl(bobOnly));
            System.out.println(zk.whoAmI());                  // [ClientInfo[authScheme=sasl, user=bob], ...]
        } catch (ZkException.AuthFailed refused) {
            System.err.println(refused.getMessage());         // why, never the password
        }
        // readme:end sasl-digest
    }

    static void fromJaas() {
        // readme:begin sasl-jaas
        // java -Djava.security.auth.login.config=/etc/zookeeper/client-jaas.conf ...
        ZkClient zk = ZkClient.builder("zk1:2181,zk2:2181,zk3:2181")
                .sasl(SaslSettings.fromJaas())   // the "Client" section, or -Dzookeeper.sasl.clientconfig=...
                .build();
        // readme:end sasl-jaas
        zk.close();
    }

    static void kerberos(Subject subject) {
        // readme:begin sasl-kerberos
        ZkClient zk = ZkClient.builder("zk1.example.com:2181,zk2.example.com:2181")
                .sasl(SaslSettings.kerberos(subject)     // a Subject the application already logged in
                        .serviceName("zookeeper")        // default; the official zookeeper.sasl.client.username
                        .canonicalizeHostName(true))     // default: zookeeper/<reverse lookup of the address>
                .build();
        // readme:end sasl-kerberos
        zk.close();
    }

    static void testing() {
        // readme:begin sasl-testing
        try (ZkServer server = ZkServer.builder()
                        .saslDigestUser("bob", "bob-secret")   // a JAAS Server section (3.9: FIPS mode off)
                        .requireSasl()                         // refuse sessions that did not authenticate
                        .start();
                ZkClient zk = ZkClient.builder(server.connectString())
                        .sasl(SaslSettings.digest("bob", "bob-secret".toCharArray()))
                        .build()) {
            System.out.println(zk.whoAmI());                   // [ClientInfo[authScheme=sasl, user=bob]]
        }
        // readme:end sasl-testing
    }

    static void fixedPrincipal() {
        // readme:begin sasl-principal
        SaslSettings settings = SaslSettings.fromJaas("ZkKerberos")
                .serverPrincipal("zookeeper/zk.example.com@EXAMPLE.COM");  // one principal for every server
        // readme:end sasl-principal
        System.out.println(settings);
    }
}
