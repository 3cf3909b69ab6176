package io.loomzk.testing;

import io.loomzk.testing.internal.ServerSecurity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The settings a {@link ZkServer} and every member of a {@link ZkEnsemble} share: the ZooKeeper
 * line, timing, {@code zoo.cfg} entries, JVM options, a name, and security (TLS, SASL). Not
 * thread-safe.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract sealed class ServerBuilder<B extends ServerBuilder<B>> permits ZkServer.Builder, ZkEnsemble.Builder {
    ZkVersion version = ZkVersion.DEFAULT;
    Duration tickTime = Duration.ofMillis(200);
    final Map<String, String> properties = new LinkedHashMap<>();
    final List<String> jvmOptions = new ArrayList<>();
    String name;
    private ServerSecurity.Tls tls;
    private final Map<String, String> digestUsers = new LinkedHashMap<>();
    private ServerSecurity.Kerberos kerberos;
    private boolean requireSasl;

    ServerBuilder() {}

    abstract B self();

    /** The ZooKeeper line to run (default 3.9); a {@link ZkServer} of another line runs as a child JVM. */
    public B version(ZkVersion version) {
        this.version = Objects.requireNonNull(version, "version");
        return self();
    }

    /**
     * ZooKeeper's {@code tickTime} (default 200 ms). The minimum session timeout is two ticks; the
     * maximum is at least 60 s; an ensemble's initLimit and syncLimit are in ticks.
     */
    public B tickTime(Duration tickTime) {
        if (tickTime.toMillis() < 1) {
            throw new IllegalArgumentException("tickTime must be at least 1 ms: " + tickTime);
        }
        this.tickTime = tickTime;
        return self();
    }

    /** Adds or overrides one {@code zoo.cfg} entry, e.g. {@code ("maxClientCnxns", "10")}. */
    public B property(String key, String value) {
        properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return self();
    }

    /**
     * Adds JVM options of child-process servers, e.g. {@code -Djute.maxbuffer=4096} or
     * {@code -Dreadonlymode.enabled=true} (settings ZooKeeper reads as system properties).
     */
    public B jvmOptions(String... options) {
        jvmOptions.addAll(List.of(options));
        return self();
    }

    /** The name in logs and file names. */
    public B name(String name) {
        this.name = Objects.requireNonNull(name, "name");
        return self();
    }

    /**
     * Serves clients over TLS only: each server's client port is a secure port on ZooKeeper's
     * Netty connection factory, with {@code identity}'s certificate, and there is no plain port.
     * Client certificates issued by {@code ca} are checked as {@code clientAuth} says and give the
     * session an {@code x509} identity (the certificate's subject). Servers run as child JVMs.
     * Needs 3.5.5 or newer.
     */
    public B tls(TestCa ca, TestCa.Issued identity, ClientAuth clientAuth) {
        this.tls = new ServerSecurity.Tls(
                identity.keyStore(), ca.trustStore(), ca.storePassword(), clientAuth.configValue());
        return self();
    }

    /**
     * Accepts SASL DIGEST-MD5 logins of {@code user} with {@code password} (a JAAS {@code Server}
     * section in the server's own directory; 3.9's FIPS mode, which refuses DIGEST-MD5, is turned
     * off). May be called for several users. Servers run as child JVMs.
     */
    public B saslDigestUser(String user, String password) {
        digestUsers.put(Objects.requireNonNull(user, "user"), Objects.requireNonNull(password, "password"));
        return self();
    }

    /**
     * Accepts SASL GSSAPI (Kerberos) logins, as service {@code principal} (for example
     * {@code zookeeper/localhost@EXAMPLE.COM}) with its key in {@code keytab}, against the KDC that
     * {@code krb5Conf} describes ({@link TestKdc} makes all three). Servers run as child JVMs.
     */
    public B kerberos(String principal, Path keytab, Path krb5Conf) {
        this.kerberos = new ServerSecurity.Kerberos(principal, keytab, krb5Conf);
        return self();
    }

    /**
     * Refuses sessions that did not authenticate with SASL ({@code sessionRequireClientSASLAuth}
     * on 3.6+, {@code enforce.auth.enabled} with the {@code sasl} scheme on 3.7+). Servers run as
     * child JVMs.
     */
    public B requireSasl() {
        this.requireSasl = true;
        return self();
    }

    ServerSecurity security() {
        return new ServerSecurity(tls, digestUsers, kerberos, requireSasl);
    }
}
