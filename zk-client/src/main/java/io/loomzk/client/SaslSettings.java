package io.loomzk.client;

import io.loomzk.client.internal.SaslConfig;
import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Subject;

/**
 * How a client authenticates with SASL, for {@link ZkClientBuilder#sasl}: DIGEST-MD5 with a user
 * name and password, or whatever a JAAS login section describes (DIGEST-MD5 or Kerberos), or
 * Kerberos (GSSAPI) with a {@link Subject} the application already logged in. Immutable; the
 * {@code with}-style setters return a copy.
 *
 * <p>The client runs the SASL exchange after every handshake (the first connection and every
 * reconnection) and before any other request; calls made meanwhile wait. A server that rejects the
 * credentials ends the session as {@link SessionState#AUTH_FAILED}, and calls (and
 * {@link ZkClientBuilder#build()}) fail with {@link ZkException.AuthFailed}, whose message gives
 * the reason.
 *
 * <p>The Kerberos service principal follows the official client's conventions:
 * {@code <serviceName>/<host>}, where the service name is {@code zookeeper} unless set with
 * {@link #serviceName} (the official client's {@code zookeeper.sasl.client.username}), and the
 * host is the server's canonical host name (its reverse lookup, as the official client's
 * {@code zookeeper.sasl.client.canonicalize.hostname=true} default does) or, with {@link
 * #canonicalizeHostName canonicalizeHostName(false)}, the host exactly as the connect string
 * names it. {@link #serverPrincipal} sets it outright (the official client's {@code
 * zookeeper.server.principal}). The service's realm comes from the JDK's Kerberos configuration
 * ({@code domain_realm} in {@code krb5.conf}, else its default realm), as with the official
 * client. DIGEST-MD5 uses neither: it authenticates against the fixed names the servers use.
 *
 * <p>Passwords are kept as {@code char[]} copies and never printed: {@link #toString()} shows the
 * user name and the mechanism only. A password given to {@link #digest} may be cleared by the
 * caller afterwards.
 */
public final class SaslSettings {
    /** The JAAS section the official client reads unless {@value #JAAS_SECTION_PROPERTY} names another. */
    public static final String DEFAULT_JAAS_SECTION = "Client";

    /** The system property the official client reads the JAAS section name from. */
    public static final String JAAS_SECTION_PROPERTY = "zookeeper.sasl.clientconfig";

    /** The default Kerberos service name, the first part of {@code zookeeper/<host>}. */
    public static final String DEFAULT_SERVICE_NAME = "zookeeper";

    /** Where the credentials come from. */
    enum Source {
        DIGEST,
        JAAS,
        SUBJECT
    }

    private final Source source;
    private final String user;
    private final char[] password;
    private final String jaasSection;
    private final Subject subject;
    private final String serviceName;
    private final String serverPrincipal;
    private final boolean canonicalizeHostName;

    private SaslSettings(
            Source source,
            String user,
            char[] password,
            String jaasSection,
            Subject subject,
            String serviceName,
            String serverPrincipal,
            boolean canonicalizeHostName) {
        this.source = source;
        this.user = user;
        this.password = password;
        this.jaasSection = jaasSection;
        this.subject = subject;
        this.serviceName = serviceName;
        this.serverPrincipal = serverPrincipal;
        this.canonicalizeHostName = canonicalizeHostName;
    }

    /**
     * DIGEST-MD5 as {@code user} with {@code password} (a user the servers' JAAS {@code Server}
     * section lists). The password is copied. A 3.9 server in its default FIPS mode refuses
     * DIGEST-MD5; such servers must run with {@code zookeeper.fips-mode=false}.
     *
     * @throws IllegalArgumentException if the user name is empty
     */
    public static SaslSettings digest(String user, char[] password) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.isEmpty()) {
            throw new IllegalArgumentException("the SASL user name is empty");
        }
        return new SaslSettings(Source.DIGEST, user, password.clone(), null, null, DEFAULT_SERVICE_NAME, null, true);
    }

    /**
     * The JAAS login section the official client reads: the one the system property
     * {@value #JAAS_SECTION_PROPERTY} names (read now), else {@value #DEFAULT_JAAS_SECTION}. See
     * {@link #fromJaas(String)}.
     */
    public static SaslSettings fromJaas() {
        return fromJaas(System.getProperty(JAAS_SECTION_PROPERTY, DEFAULT_JAAS_SECTION));
    }

    /**
     * The JAAS login section {@code section} of the JVM's login configuration (the file
     * {@code java.security.auth.login.config} names, or a {@code Configuration} installed in
     * code), read as the official client reads it: a section with ZooKeeper's
     * {@code DigestLoginModule} means DIGEST-MD5 with its {@code username} and {@code password}
     * options (the module itself is not needed on the class path); any other section is logged
     * in with JAAS and its subject used for Kerberos (GSSAPI), for example
     * {@code com.sun.security.auth.module.Krb5LoginModule} with a keytab.
     *
     * <p>The section is read and the login done when the client first connects; the login is
     * repeated before a connection when the Kerberos ticket it got has expired or is about to. A
     * missing section, a failed login or a section that yields no credentials ends the session as
     * {@link SessionState#AUTH_FAILED} with the reason in the exception.
     */
    public static SaslSettings fromJaas(String section) {
        Objects.requireNonNull(section, "section");
        if (section.isEmpty()) {
            throw new IllegalArgumentException("the JAAS section name is empty");
        }
        return new SaslSettings(Source.JAAS, null, null, section, null, DEFAULT_SERVICE_NAME, null, true);
    }

    /**
     * Kerberos (GSSAPI) as the principal {@code subject} holds a ticket-granting ticket (or keys)
     * for, for an application that already logged in (with JAAS, or through its framework). The
     * exchange runs with {@link Subject#callAs}; the subject is used as it is, never logged in
     * again by the client.
     */
    public static SaslSettings kerberos(Subject subject) {
        Objects.requireNonNull(subject, "subject");
        return new SaslSettings(Source.SUBJECT, null, null, null, subject, DEFAULT_SERVICE_NAME, null, true);
    }

    /**
     * The Kerberos service name, the first part of the server principal
     * {@code <serviceName>/<host>}; default {@value #DEFAULT_SERVICE_NAME} (the official client's
     * {@code zookeeper.sasl.client.username}).
     */
    public SaslSettings serviceName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.contains("/") || name.contains("@")) {
            throw new IllegalArgumentException("a service name is one non-empty name without '/' or '@': " + name);
        }
        return new SaslSettings(
                source, user, password, jaasSection, subject, name, serverPrincipal, canonicalizeHostName);
    }

    /**
     * The server principal to authenticate to, {@code service/host} (a realm after {@code @} is
     * allowed and ignored: the JDK finds the service's realm), instead of one made from the
     * service name and each server's host (the official client's {@code zookeeper.server.principal}).
     * Every server of the ensemble must then accept this one principal.
     *
     * @throws IllegalArgumentException if the principal is not {@code service/host[@REALM]}
     */
    public SaslSettings serverPrincipal(String principal) {
        Objects.requireNonNull(principal, "principal");
        String name = principal.indexOf('@') >= 0 ? principal.substring(0, principal.indexOf('@')) : principal;
        int slash = name.indexOf('/');
        if (slash <= 0 || slash == name.length() - 1 || name.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("a server principal is service/host[@REALM]: " + principal);
        }
        return new SaslSettings(
                source, user, password, jaasSection, subject, serviceName, principal, canonicalizeHostName);
    }

    /**
     * Whether the host part of the server principal is the server's canonical host name (the
     * reverse lookup of its address, kept only when it is a name), as the official client does by
     * default; default true. With false, it is the host exactly as the connect string names it
     * (an IP address stays an IP address).
     */
    public SaslSettings canonicalizeHostName(boolean canonicalize) {
        return new SaslSettings(
                source, user, password, jaasSection, subject, serviceName, serverPrincipal, canonicalize);
    }

    /** The settings as the session reads them (with its own copy of the password). */
    SaslConfig toConfig() {
        SaslConfig.Source s = switch (source) {
            case DIGEST -> SaslConfig.Source.DIGEST;
            case JAAS -> SaslConfig.Source.JAAS;
            case SUBJECT -> SaslConfig.Source.SUBJECT;
        };
        return new SaslConfig(
                s,
                user,
                password == null ? null : password.clone(),
                jaasSection,
                subject,
                serviceName,
                serverPrincipal,
                canonicalizeHostName);
    }

    /** The mechanism and where the credentials come from; never a password. */
    @Override
    public String toString() {
        String what = switch (source) {
            case DIGEST -> "DIGEST-MD5 as " + user + " (password hidden)";
            case JAAS -> "JAAS section " + jaasSection;
            case SUBJECT ->
                "GSSAPI with a subject of " + subject.getPrincipals().size() + " principal(s)";
        };
        return "SaslSettings[" + what + ", service "
                + (serverPrincipal != null ? serverPrincipal : serviceName + "/<host>")
                + (canonicalizeHostName ? "" : ", host names as given") + "]";
    }

    /** Equal settings have the same source, names and password. */
    @Override
    public boolean equals(Object o) {
        return o instanceof SaslSettings that
                && source == that.source
                && Objects.equals(user, that.user)
                && Arrays.equals(password, that.password)
                && Objects.equals(jaasSection, that.jaasSection)
                && subject == that.subject
                && serviceName.equals(that.serviceName)
                && Objects.equals(serverPrincipal, that.serverPrincipal)
                && canonicalizeHostName == that.canonicalizeHostName;
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, user, jaasSection, serviceName, serverPrincipal, canonicalizeHostName);
    }
}
