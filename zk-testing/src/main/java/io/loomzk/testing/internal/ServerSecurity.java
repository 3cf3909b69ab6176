package io.loomzk.testing.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * What makes a child-process server a secured one: TLS on its client port, SASL (DIGEST-MD5 users,
 * or Kerberos with a keytab), and whether it refuses sessions that did not authenticate. It
 * turns into {@code zoo.cfg} entries (which ZooKeeper's config parser hands on as
 * {@code zookeeper.*} system properties of that JVM) and JVM options, and writes the JAAS file.
 * Immutable; the passwords it holds go only into files of the server's own directory.
 *
 * @param tls the TLS settings, or null for a plain client port
 * @param digestUsers DIGEST-MD5 users and their passwords (empty: none)
 * @param kerberos the server's Kerberos identity, or null
 * @param requireSasl whether sessions without SASL authentication are refused
 */
public record ServerSecurity(Tls tls, Map<String, String> digestUsers, Kerberos kerberos, boolean requireSasl) {
    private static final String NETTY = "org.apache.zookeeper.server.NettyServerCnxnFactory";

    public ServerSecurity {
        digestUsers = Map.copyOf(digestUsers);
    }

    /** No security at all. */
    public static final ServerSecurity NONE = new ServerSecurity(null, Map.of(), null, false);

    /**
     * TLS settings of a server: its key store (certificate and key), the trust store its
     * client-certificate checks use, the stores' password, and {@code none}, {@code want} or
     * {@code need} for client certificates.
     */
    public record Tls(Path keyStore, Path trustStore, char[] password, String clientAuth) {
        public Tls {
            password = password.clone();
        }

        @Override
        public String toString() {
            return "Tls[" + keyStore + ", clientAuth " + clientAuth + "]";
        }
    }

    /** A Kerberos service identity: its principal, its keytab, and the KDC's {@code krb5.conf}. */
    public record Kerberos(String principal, Path keytab, Path krb5Conf) {}

    public boolean isSecured() {
        return tls != null || !digestUsers.isEmpty() || kerberos != null || requireSasl;
    }

    public boolean usesSasl() {
        return !digestUsers.isEmpty() || kerberos != null;
    }

    /** Rewrites a plain server's {@code zoo.cfg} entries for these settings. */
    public Map<String, String> configure(Map<String, String> cfg) {
        Map<String, String> out = new LinkedHashMap<>(cfg);
        if (tls != null) {
            // TLS only: the port the tests know becomes the secure one, and there is no plain one.
            String port = out.remove("clientPort");
            out.remove("clientPortAddress");
            out.put("secureClientPort", port);
            out.put("secureClientPortAddress", "127.0.0.1");
            out.put("serverCnxnFactory", NETTY);
            out.put("ssl.keyStore.location", tls.keyStore.toAbsolutePath().toString());
            out.put("ssl.keyStore.password", new String(tls.password));
            out.put("ssl.keyStore.type", "PKCS12");
            out.put("ssl.trustStore.location", tls.trustStore.toAbsolutePath().toString());
            out.put("ssl.trustStore.password", new String(tls.password));
            out.put("ssl.trustStore.type", "PKCS12");
            out.put("ssl.clientAuth", tls.clientAuth);
            out.put("authProvider.x509", "org.apache.zookeeper.server.auth.X509AuthenticationProvider");
        }
        if (usesSasl()) {
            out.put("authProvider.sasl", "org.apache.zookeeper.server.auth.SASLAuthenticationProvider");
        }
        if (requireSasl) {
            out.put("sessionRequireClientSASLAuth", "true");
            out.put("enforce.auth.enabled", "true");
            out.put("enforce.auth.schemes", "sasl");
        }
        return out;
    }

    /** JVM options of the server: the JAAS file (written into {@code dir}) and Kerberos settings. */
    public List<String> jvmOptions(Path dir) {
        List<String> options = new ArrayList<>();
        if (usesSasl()) {
            Path jaas = dir.resolve("server-jaas.conf");
            writePrivate(jaas, jaasServerSection());
            options.add("-Djava.security.auth.login.config=" + jaas.toAbsolutePath());
            // 3.9 runs in FIPS mode by default, which refuses DIGEST-MD5.
            options.add("-Dzookeeper.fips-mode=false");
        }
        if (kerberos != null) {
            options.add("-Djava.security.krb5.conf=" + kerberos.krb5Conf.toAbsolutePath());
            options.add("-Dzookeeper.kerberos.removeHostFromPrincipal=true");
            options.add("-Dzookeeper.kerberos.removeRealmFromPrincipal=true");
        }
        return options;
    }

    /** A socket factory that can talk to this server's port (for readiness probes), or null. */
    public SSLSocketFactory probeSocketFactory() {
        if (tls == null) {
            return null;
        }
        try {
            KeyStore keys = load(tls.keyStore, tls.password);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, tls.password);
            // The probe asks our own child on loopback (and checks it serves our data directory): it
            // takes whatever certificate the server has, so that servers with expired or misnamed
            // certificates, made on purpose for client tests, can be started and probed.
            SSLContext context = SSLContext.getInstance("TLS");
            // a client certificate only where the server needs one: the server's own identity,
            // which may be expired on purpose, would otherwise be refused where it is optional
            context.init(
                    tls.clientAuth.equals("need") ? kmf.getKeyManagers() : null,
                    new TrustManager[] {new AnyServer()},
                    null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot read the server's TLS stores " + tls, e);
        }
    }

    /** Trusts any server: for the readiness probe of our own child only. */
    private static final class AnyServer implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("the probe is a client only");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    @Override
    public String toString() {
        return "ServerSecurity[tls " + tls + ", digest users " + digestUsers.keySet() + ", kerberos " + kerberos
                + ", requireSasl " + requireSasl + "]";
    }

    private String jaasServerSection() {
        StringBuilder text = new StringBuilder("Server {\n");
        if (!digestUsers.isEmpty()) {
            text.append("  org.apache.zookeeper.server.auth.DigestLoginModule required");
            digestUsers.forEach((user, password) -> text.append("\n    user_")
                    .append(user)
                    .append("=\"")
                    .append(password)
                    .append('"'));
            text.append(";\n");
        }
        if (kerberos != null) {
            text.append("  com.sun.security.auth.module.Krb5LoginModule required\n")
                    .append("    useKeyTab=true\n    storeKey=true\n    useTicketCache=false\n    isInitiator=false\n")
                    .append("    keyTab=\"")
                    .append(kerberos.keytab.toAbsolutePath())
                    .append("\"\n    principal=\"")
                    .append(kerberos.principal)
                    .append("\";\n");
        }
        return text.append("};\n").toString();
    }

    private static KeyStore load(Path file, char[] password) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password);
        }
        return store;
    }

    private static void writePrivate(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the temporary directory's own permissions apply
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
